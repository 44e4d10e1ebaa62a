import Anthropic from "@anthropic-ai/sdk";
import OpenAI from "openai";
import { pipeline } from "@huggingface/transformers";

// model: "meta-llama/Llama-3.1-8B-Instruct" is what we used before (a comment)
/* const old = { model: "google/gemma-2-9b-it" }; */
const DEFAULT_MODEL: string = "claude-3-5-sonnet-20241022"; // expect: anthropic/claude-3-5-sonnet-20241022
const DOCS = "https://docs.anthropic.com/en/docs/models";
const anthropic = new Anthropic();

export async function ask(prompt: string) {
  const msg = await anthropic.messages.create({
    model: process.env.CLAUDE_MODEL ?? DEFAULT_MODEL,
    max_tokens: 1024,
    messages: [{ role: "user", content: prompt }],
  });
  const openai = new OpenAI();
  const chat = await openai.chat.completions.create({ model: "gpt-4o", messages: [] }); // expect: openai/gpt-4o
  const extractor = await pipeline(
    "feature-extraction",
    "Xenova/all-MiniLM-L6-v2", // expect: Xenova/all-MiniLM-L6-v2
  );
  return [msg, chat, extractor];
}
