"""Synthetic pattern catalogues of any size, for the benchmark and for scale checks.

Each pattern has about 3 KB of text per language and 3–5 `builds_on` links to earlier
patterns, so the catalogue forms a layered language like the real one.
"""

from __future__ import annotations

import random
from pathlib import Path

import yaml

KO_WORDS = ("고객 관계 신뢰 약속 일정 회의 요청 답장 문제 해결 팀 담당자 메일 전화 설명 사과 확인 계획 위험 품질 "
            "기대 요구 변경 보고 진행 상황 방문 지원 계약 경계 예의 경청 질문 대답 시간 비용 결정 공유 기록").split()
KO_ENDINGS = ("을 먼저 챙긴다", "에 대해 고객과 이야기한다", "이 늦어지면 미리 알린다", "를 기록해 둔다", "은 팀과 함께 정한다",
              "이 흔들리면 다시 묻는다", "에게 솔직하게 말한다")
EN_WORDS = ("customer relationship trust promise schedule meeting request reply problem fix team contact email call "
            "explanation apology check plan risk quality expectation need change report progress visit support "
            "contract boundary manners listening question answer time cost decision sharing record").split()


def _sentence_ko(rng: random.Random) -> str:
    return " ".join(rng.choice(KO_WORDS) for _ in range(rng.randint(3, 6))) + rng.choice(KO_ENDINGS) + "."


def _sentence_en(rng: random.Random) -> str:
    words = [rng.choice(EN_WORDS) for _ in range(rng.randint(8, 14))]
    return " ".join(words).capitalize() + "."


def _text(rng: random.Random, sentences: int) -> dict[str, str]:
    return {"ko": " ".join(_sentence_ko(rng) for _ in range(sentences)),
            "en": " ".join(_sentence_en(rng) for _ in range(sentences))}


SOURCE = {"key": "book", "kind": "book", "lang": "en", "title": "A Book", "author": "Someone", "date": "2001",
          "pages": "1–300"}


def synthetic_pattern(index: int, rng: random.Random) -> dict:
    pid = f"pattern-{index:04d}"
    earlier = [f"pattern-{i:04d}" for i in range(max(0, index - 40), index)]
    builds_on = sorted(rng.sample(earlier, min(len(earlier), rng.randint(3, 5))))
    return {
        "id": pid, "order": index + 1, "status": "established",
        "title": {"ko": f"{rng.choice(KO_WORDS)}을 {rng.choice(KO_WORDS)}하라 {index}",
                  "en": f"{rng.choice(EN_WORDS).title()} the {rng.choice(EN_WORDS).title()} {index}"},
        "aliases": [], "summary": _text(rng, 2), "problem": _text(rng, 2), "context": _text(rng, 4),
        "forces": [_text(rng, 2) for _ in range(3)], "solution": _text(rng, 8), "resulting_context": _text(rng, 4),
        "rationale": _text(rng, 3),
        "known_uses": [{"title": _text(rng, 1), "kind": "use", "summary": _text(rng, 3),
                        "cite": [{"source": "book", "pages": str(1 + index % 300)}]}],
        "builds_on": builds_on, "see_also": [],
        "tags": [{"ko": "관계", "en": "relationship"}],
        "situations": [_text(rng, 1) for _ in range(3)], "questions": [_text(rng, 1) for _ in range(2)],
    }


def write_catalogue(directory: Path, count: int, seed: int = 1) -> list[Path]:
    """Write `count` synthetic pattern files and their bibliography into `directory`; return the patterns' paths."""
    rng = random.Random(seed)
    directory.mkdir(parents=True, exist_ok=True)
    (directory / "bibliography.yaml").write_text(yaml.safe_dump({"sources": [SOURCE]}, allow_unicode=True),
                                                 encoding="utf-8")
    paths = []
    for index in range(count):
        data = synthetic_pattern(index, rng)
        path = directory / f"{data['id']}.yaml"
        path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=1000), encoding="utf-8")
        paths.append(path)
    return paths
