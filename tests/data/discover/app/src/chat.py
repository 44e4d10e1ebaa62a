"""Chat backend. Mentions mistralai/Mistral-7B-Instruct-v0.3 in prose: not a reference."""
import os

import anthropic
from openai import OpenAI
from peft import PeftModel
from sentence_transformers import CrossEncoder, SentenceTransformer
from transformers import AutoModelForCausalLM, AutoTokenizer, pipeline
from vllm import LLM

BASE = os.environ.get("BASE_MODEL", "meta-llama/Llama-3.1-8B-Instruct")  # expect: meta-llama/Llama-3.1-8B-Instruct
CHECKPOINT = "./checkpoints/final"
BUCKET = "s3://acme-models/llama/weights.safetensors"
ADAPTER = os.getenv("ADAPTER")
# model = AutoModelForCausalLM.from_pretrained("google/gemma-2-9b-it")  (a comment: never a reference)

model = AutoModelForCausalLM.from_pretrained(
    BASE,
    revision="5206a32e0bd3067aef1ce90f5528ade7d866253f",
    device_map="auto",
)
tuned = PeftModel.from_pretrained(model, "acme/llama-support-lora")  # expect: acme/llama-support-lora
local = AutoModelForCausalLM.from_pretrained(CHECKPOINT)
tokenizer = AutoTokenizer.from_pretrained(os.path.join("models", "tok"))
embedder = SentenceTransformer("sentence-transformers/all-MiniLM-L6-v2")  # expect: sentence-transformers/all-MiniLM-L6-v2
reranker = CrossEncoder(
    "cross-encoder/ms-marco-MiniLM-L-6-v2",  # expect: cross-encoder/ms-marco-MiniLM-L-6-v2
)
classifier = pipeline("text-classification", model="acme/ticket-router-7b")  # expect: acme/ticket-router-7b
generator = pipeline("text-generation", "gpt2")  # expect: openai-community/gpt2
engine = LLM(model="Qwen/Qwen2.5-7B-Instruct")  # expect: Qwen/Qwen2.5-7B-Instruct
task = pipeline("summarization", model=BUCKET)

client = OpenAI()
reply = client.chat.completions.create(
    messages=[{"role": "user", "content": "hi"}],
    model="gpt-4o-mini",  # expect: openai/gpt-4o-mini
)
claude = anthropic.Anthropic().messages.create(model="claude-3-5-haiku-20241022", max_tokens=10, messages=[])  # expect: anthropic/claude-3-5-haiku-20241022
settings = {"model": "mistral-large-latest", "temperature": 0.2}  # expect: mistral/mistral-large
FALLBACK = "openai/gpt-4o"  # expect: openai/gpt-4o
HOMEPAGE = "https://huggingface.co/Qwen/Qwen2.5-7B-Instruct"
fit_kind = dict(model="linear")
