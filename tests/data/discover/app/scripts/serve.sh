#!/bin/sh
set -eu
# vllm serve google/gemma-2-9b-it   (commented out)
hf download black-forest-labs/FLUX.1-dev --include "*.safetensors"  # expect: black-forest-labs/FLUX.1-dev
ollama run phi4  # expect: microsoft/phi-4
python -m vllm.entrypoints.openai.api_server --model=acme/private-13b  # expect: acme/private-13b
aws s3 cp s3://acme-models/checkpoints ./checkpoints --recursive
