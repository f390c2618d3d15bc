#!/usr/bin/env python
"""Train an NLU model on data/nlu and evaluate it per language.

Run with the Rasa virtualenv from the repository root:

    .venv-rasa/bin/python scripts/evaluate_nlu.py            # train + evaluate
    .venv-rasa/bin/python scripts/evaluate_nlu.py --model var/eval-models/nlu-XXXX.tar.gz  # evaluate only

Scores data/eval/<lang>.yml (held out, never trained on) and the outside
benchmark <repo>/../shared/eval/bitext_en_mapped.jsonl (never trained on), and
writes reports/nlu-eval.md.  Entity scores compare normalised values
(quantity 2 == "2", currency "EUR", country "NO", ...), per entity type.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
os.environ.setdefault("RASA_TELEMETRY_ENABLED", "false")

LANGS = ("en", "es", "pt", "de", "fr", "it", "nb", "zh")
NUMERIC = {"quantity", "max_price", "order_id"}
TARGETS = {"overall": 0.97, "per_language": 0.93, "entity_f1": 0.90, "bitext": 0.90}


def log(msg: str) -> None:
    print(f"[evaluate_nlu {time.strftime('%H:%M:%S')}] {msg}", flush=True)


def norm_value(entity: str, value) -> str:
    if entity in NUMERIC:
        try:
            number = float(str(value).replace(",", "."))
            return str(int(number)) if number.is_integer() else str(number)
        except ValueError:
            return str(value).strip().lower()
    if entity in ("currency", "country"):
        return str(value).strip().upper()
    return " ".join(str(value).casefold().split())


@dataclass
class Example:
    lang: str
    text: str
    intent: str
    entities: list[tuple[str, str]]  # (type, normalised value)


@dataclass
class Result:
    example: Example
    intent: str
    top_intent: str  # best real intent even when the fallback fired
    confidence: float
    entities: list[tuple[str, str]]
    language: str | None


@dataclass
class Scores:
    n: int = 0
    correct: int = 0
    correct_top: int = 0
    fallback: int = 0
    lang_correct: int = 0
    tp: Counter = field(default_factory=Counter)
    fp: Counter = field(default_factory=Counter)
    fn: Counter = field(default_factory=Counter)
    confusions: Counter = field(default_factory=Counter)
    errors: list = field(default_factory=list)

    def add(self, r: Result, check_language: bool = True) -> None:
        self.n += 1
        self.correct += r.intent == r.example.intent
        self.correct_top += r.top_intent == r.example.intent
        self.fallback += r.intent == "nlu_fallback"
        self.lang_correct += (r.language == r.example.lang) if check_language else 0
        if r.intent != r.example.intent:
            self.confusions[(r.example.intent, r.intent)] += 1
            self.errors.append(r)
        gold, pred = Counter(r.example.entities), Counter(r.entities)
        for key in set(gold) | set(pred):
            hit = min(gold[key], pred[key])
            self.tp[key[0]] += hit
            self.fp[key[0]] += pred[key] - hit
            self.fn[key[0]] += gold[key] - hit

    @property
    def accuracy(self) -> float:
        return self.correct / self.n if self.n else 0.0

    def prf(self, kind: str | None = None) -> tuple[float, float, float, int]:
        keys = [kind] if kind else list(set(self.tp) | set(self.fp) | set(self.fn))
        tp = sum(self.tp[k] for k in keys)
        fp = sum(self.fp[k] for k in keys)
        fn = sum(self.fn[k] for k in keys)
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        f = 2 * p * r / (p + r) if p + r else 0.0
        return p, r, f, tp + fn

    def merge(self, other: "Scores") -> None:
        for name in ("n", "correct", "correct_top", "fallback", "lang_correct"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        for name in ("tp", "fp", "fn", "confusions"):
            getattr(self, name).update(getattr(other, name))
        self.errors.extend(other.errors)


def load_eval(eval_dir: Path) -> list[Example]:
    from rasa.shared.nlu.training_data.loading import load_data

    examples = []
    for lang in LANGS:
        path = eval_dir / f"{lang}.yml"
        if not path.exists():
            log(f"missing {path}, skipped")
            continue
        for msg in load_data(str(path)).intent_examples:
            ents = [(e["entity"], norm_value(e["entity"], e["value"])) for e in msg.get("entities", [])]
            examples.append(Example(lang, msg.get("text"), msg.get("intent"), ents))
    return examples


def load_bitext(path: Path) -> list[Example]:
    examples = []
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                ents = [(k, norm_value(k, v)) for k, v in (row.get("entities") or {}).items()]
                examples.append(Example(row.get("lang", "en"), row["text"], row["intent"], ents))
    return examples


def train(config: Path, nlu_dir: Path, out_dir: Path) -> str:
    from rasa.model_training import train_nlu

    log(f"training NLU on {nlu_dir} with {config} (DIET shows an epoch progress bar) ...")
    start = time.time()
    model = train_nlu(str(config), str(nlu_dir), str(out_dir), fixed_model_name=f"nlu-{time.strftime('%Y%m%d-%H%M%S')}")
    if not model:
        raise SystemExit("training failed")
    log(f"trained {model} in {time.time() - start:.0f}s")
    return model


async def parse_all(agent, examples: list[Example], label: str) -> list[Result]:
    results = []
    for i, ex in enumerate(examples, 1):
        parsed = await agent.parse_message(ex.text)
        ranking = [r for r in parsed.get("intent_ranking", []) if r["name"] != "nlu_fallback"]
        ents = [
            (e["entity"], norm_value(e["entity"], e["value"]))
            for e in parsed.get("entities", [])
            if e["entity"] != "language"
        ]
        results.append(
            Result(ex, parsed["intent"]["name"], ranking[0]["name"] if ranking else parsed["intent"]["name"],
                   float(parsed["intent"].get("confidence") or 0.0), ents, parsed.get("language"))
        )
        if i % 100 == 0 or i == len(examples):
            log(f"  {label}: parsed {i}/{len(examples)}")
    return results


def pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def mark(ok: bool) -> str:
    return "✅" if ok else "❌"


def render(per_lang: dict[str, Scores], bitext: Scores | None, model: str, seconds: float, bitext_path: Path) -> str:
    total = Scores()
    for s in per_lang.values():
        total.merge(s)
    p, r, f, support = total.prf()
    lines = [
        "# NLU evaluation",
        "",
        f"Model: `{Path(model).name}` — trained on `data/nlu/` only; evaluated on the held-out `data/eval/` split "
        f"and on the outside benchmark `{bitext_path.name}` (never trained on). Generated by "
        f"`scripts/evaluate_nlu.py` on {time.strftime('%Y-%m-%d %H:%M')} in {seconds:.0f}s.",
        "",
        "Intent accuracy counts an `nlu_fallback` (confidence below the FallbackClassifier threshold) as an error; "
        "\"top-1\" is the best real intent ignoring the threshold.",
        "",
        "## Targets",
        "",
        "| target | value | |",
        "| --- | --- | --- |",
        f"| overall intent accuracy ≥ 97 % | {pct(total.accuracy)} | {mark(total.accuracy >= TARGETS['overall'])} |",
    ]
    worst = min(per_lang.items(), key=lambda kv: kv[1].accuracy)
    lines.append(f"| every language ≥ 93 % | lowest: {worst[0]} {pct(worst[1].accuracy)} | {mark(worst[1].accuracy >= TARGETS['per_language'])} |")
    lines.append(f"| entity F1 ≥ 90 % | {pct(f)} | {mark(f >= TARGETS['entity_f1'])} |")
    if bitext:
        lines.append(f"| bitext intent accuracy ≥ 90 % | {pct(bitext.accuracy)} | {mark(bitext.accuracy >= TARGETS['bitext'])} |")
    lines += ["", "## Per language (held-out split)", "",
              "| lang | examples | intent acc. | top-1 | fallbacks | language detected | entity P | entity R | entity F1 |",
              "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for lang, s in per_lang.items():
        lp, lr, lf, _ = s.prf()
        lines.append(f"| {lang} | {s.n} | {pct(s.accuracy)} | {pct(s.correct_top / s.n)} | {s.fallback} | "
                     f"{pct(s.lang_correct / s.n)} | {pct(lp)} | {pct(lr)} | {pct(lf)} |")
    lines.append(f"| **all** | {total.n} | **{pct(total.accuracy)}** | {pct(total.correct_top / total.n)} | {total.fallback} | "
                 f"{pct(total.lang_correct / total.n)} | {pct(p)} | {pct(r)} | **{pct(f)}** |")
    lines += ["", "## Entities by type (normalised values, all languages)", "",
              "| entity | precision | recall | F1 | support |", "| --- | --- | --- | --- | --- |"]
    for kind in sorted(set(total.tp) | set(total.fp) | set(total.fn)):
        kp, kr, kf, ks = total.prf(kind)
        lines.append(f"| {kind} | {pct(kp)} | {pct(kr)} | {pct(kf)} | {ks} |")
    lines += ["", "## Top confusions (gold → predicted)", "", "| gold | predicted | count |", "| --- | --- | --- |"]
    for (gold, pred), count in total.confusions.most_common(15):
        lines.append(f"| {gold} | {pred} | {count} |")
    if bitext:
        bp, br, bf, bs = bitext.prf("order_id")
        lines += ["", f"## Outside benchmark: `{bitext_path.name}` ({bitext.n} English requests)", "",
                  f"Intent accuracy **{pct(bitext.accuracy)}** (top-1 {pct(bitext.correct_top / bitext.n)}, "
                  f"{bitext.fallback} fallbacks); order_id P/R/F1 {pct(bp)} / {pct(br)} / {pct(bf)} (support {bs}).", "",
                  "| gold | predicted | count |", "| --- | --- | --- |"]
        for (gold, pred), count in bitext.confusions.most_common(10):
            lines.append(f"| {gold} | {pred} | {count} |")
    lines += ["", "## Misclassified held-out examples", "", "| lang | text | gold | predicted | conf. |",
              "| --- | --- | --- | --- | --- |"]
    for r in total.errors[:80]:
        text = r.example.text.replace("|", "\\|")
        lines.append(f"| {r.example.lang} | {text} | {r.example.intent} | {r.intent} | {r.confidence:.2f} |")
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(REPO / "config.yml"))
    parser.add_argument("--nlu", default=str(REPO / "data" / "nlu"))
    parser.add_argument("--eval", default=str(REPO / "data" / "eval"))
    parser.add_argument("--bitext", default=str(REPO.parent / "shared" / "eval" / "bitext_en_mapped.jsonl"))
    # not models/: `rasa run -m models` serves the newest model there, and this one is NLU-only
    parser.add_argument("--models", default=str(REPO / "var" / "eval-models"))
    parser.add_argument("--model", help="evaluate this model instead of training a new one")
    parser.add_argument("--report", default=str(REPO / "reports" / "nlu-eval.md"))
    args = parser.parse_args()

    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    start = time.time()
    # INFO while training: Rasa hides DIET's epoch progress bar above INFO
    configure_logging_and_warnings(logging.INFO)
    model = args.model or train(Path(args.config), Path(args.nlu), Path(args.models))
    configure_logging_and_warnings(logging.WARNING)
    configure_structlog(logging.WARNING)

    from rasa.core.agent import Agent

    log(f"loading {model}")
    agent = Agent.load(model)
    examples = load_eval(Path(args.eval))
    log(f"evaluating {len(examples)} held-out examples")
    results = asyncio.run(parse_all(agent, examples, "held-out"))
    per_lang: dict[str, Scores] = {}
    for r in results:
        per_lang.setdefault(r.example.lang, Scores()).add(r)

    bitext_path = Path(args.bitext)
    bitext = None
    if bitext_path.exists():
        bitext = Scores()
        for r in asyncio.run(parse_all(agent, load_bitext(bitext_path), "bitext")):
            bitext.add(r, check_language=False)
    else:
        log(f"outside benchmark not found at {bitext_path}; skipped")

    report = render(per_lang, bitext, model, time.time() - start, bitext_path)
    Path(args.report).parent.mkdir(parents=True, exist_ok=True)
    Path(args.report).write_text(report, encoding="utf-8")
    log(f"report written to {args.report}")
    print("\n".join(report.splitlines()[:30]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
