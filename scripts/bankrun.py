"""Scratch harness: score the current engine on a bank part (dev only while tuning)."""

from __future__ import annotations

import json
import shutil
import sys
from collections import defaultdict
from pathlib import Path

import assistant  # noqa: F401
from assistant import Assistant, Settings

ROOT = Path(__file__).resolve().parent.parent
BANK = ROOT / "tests" / "bank"


def doc_path(name: str) -> Path:
    for p in (BANK / "documents" / name, ROOT / "seeds" / name):
        if p.exists():
            return p
    raise FileNotFoundError(name)


def questions(part: str):
    for f in sorted((BANK / part).glob("*.jsonl")):
        items = [json.loads(line) for line in f.read_text(encoding="utf-8").splitlines() if line.strip()]
        yield items[0]["document"], items


def bot_for(doc: str, work: Path) -> Assistant:
    stem = Path(doc).stem
    seeds = work / "seeds" / stem
    seeds.mkdir(parents=True, exist_ok=True)
    shutil.copy(doc_path(doc), seeds / doc)
    return Assistant(Settings(_env_file=None, seeds_dir=seeds, index_dir=work / "index" / stem))


def bots(part: str, work: Path):
    for doc, items in questions(part):
        yield doc, bot_for(doc, work), items


def score(item: dict, ans) -> dict:
    text = ans.text.lower()
    if item["answerable"]:
        ok = not ans.abstained and all(any(a.lower() in text for a in g) for g in item["must_include"])
    else:
        ok = ans.abstained
    return {"ok": ok, "abstained": ans.abstained}


def main() -> None:
    part = sys.argv[1] if len(sys.argv) > 1 else "dev"
    show = "-v" in sys.argv
    work = Path("/tmp/bankwork")
    tally: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for doc, bot, items in bots(part, work):
        for item in items:
            ans = bot.ask(item["question"], item.get("history", []))
            r = score(item, ans)
            key = "ans" if item["answerable"] else "unans"
            for k in (key, f"{key}:{item['type']}", f"doc:{doc[:20]}:{key}"):
                tally[k][0] += r["ok"]
                tally[k][1] += 1
            if item["answerable"] and r["abstained"]:
                tally["overabst"][0] += 1
            if show and not r["ok"] and part == "dev":
                print(
                    f"XX {item['id']} [{item['type']}/{item['wording']}] {item['question']!r}\n   -> {ans.text[:160]!r}"
                )
    for k, (a, b) in sorted(tally.items()):
        print(f"{k:45s} {a:4d}/{b:4d} {a / b if b else 0:.3f}")


if __name__ == "__main__":
    main()
