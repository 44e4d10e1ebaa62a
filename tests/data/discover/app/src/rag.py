from huggingface_hub import hf_hub_download, snapshot_download
from langchain_openai import ChatOpenAI
from litellm import completion

path = hf_hub_download(repo_id="BAAI/bge-base-en-v1.5", filename="config.json")  # expect: BAAI/bge-base-en-v1.5
weights = snapshot_download("acme/internal-embedder-v2", revision="v2.1")  # expect: acme/internal-embedder-v2
llm = ChatOpenAI(model_name="gpt-4o-mini", temperature=0)  # expect: openai/gpt-4o-mini
answer = completion(model="openrouter/openai/gpt-4o", messages=[])  # expect: openai/gpt-4o
cohere_answer = completion(model="cohere/command-r", messages=[])  # expect: cohere/command-r
