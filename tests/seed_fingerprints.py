"""The no-copy check without the seed texts: fingerprints of their windows, committed in their place.

`../shared/tools/check_no_copy.py` fails when WINDOW characters of a seed text (white space
folded, at least MIN_HANGUL Hangul syllables) appear in a line of the repository. The seeds
sit beside the repository on the team's machines but not in a clone on GitHub, so the windows'
hashes are committed instead (`tests/fixtures/seed-fingerprints.txt`): a keyed BLAKE2b hash of
48 bits each, which says whether a window is a seed's without holding its text. With ~19,000
seed windows and ~10^5 Hangul-rich windows in the repository, a false match is a one-in-a-million
event.

Regenerate after the seeds change: `python tests/seed_fingerprints.py ../shared/seeds`.
"""

from __future__ import annotations

import hashlib
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from pathlib import Path

# The same windows as check_no_copy.py (tests/test_content.py checks these against the tool).
WINDOW = 24
MIN_HANGUL = 12
TEXT_SUFFIXES = {".yaml", ".yml", ".md", ".html", ".j2", ".jinja", ".txt", ".py", ".json", ".js", ".css", ".toml"}
HANGUL = re.compile(r"[\uac00-\ud7a3]")

FINGERPRINTS = Path(__file__).parent / "fixtures" / "seed-fingerprints.txt"
_KEY = b"customer-patterns-no-copy-v1"
_HEADER = (f"# Fingerprints of the seed texts' windows ({WINDOW} characters, >= {MIN_HANGUL} Hangul), "
           "keyed BLAKE2b-48, one per line; see tests/seed_fingerprints.py. No text of the seeds is here.")


def fold(text: str) -> str:
    """White space folded as the tool folds it, after NFC."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text))


def fingerprint(window: str) -> str:
    return hashlib.blake2b(window.encode("utf-8"), digest_size=6, key=_KEY).hexdigest()


def windows(text: str) -> Iterator[str]:
    """Every window of folded text that could be a seed's (enough Hangul)."""
    for i in range(len(text) - WINDOW + 1):
        window = text[i: i + WINDOW]
        if len(HANGUL.findall(window)) >= MIN_HANGUL:
            yield window


def seed_fingerprints(seed_dir: Path) -> set[str]:
    """The fingerprints of every window of the seeds in `seed_dir`."""
    found: set[str] = set()
    for path in sorted(seed_dir.glob("*.txt")):
        found.update(map(fingerprint, windows(fold(path.read_text(encoding="utf-8", errors="replace")))))
    return found


def committed_fingerprints() -> set[str]:
    lines = FINGERPRINTS.read_text(encoding="ascii").splitlines()
    return {line for line in lines if line and not line.startswith("#")}


def write_fingerprints(seed_dir: Path) -> int:
    found = sorted(seed_fingerprints(seed_dir))
    FINGERPRINTS.write_text("\n".join([_HEADER, *found]) + "\n", encoding="ascii")
    return len(found)


def project_files(root: Path) -> list[Path]:
    """The files the tool reads: tracked and untracked-but-not-ignored text files."""
    listed = subprocess.run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=root,
                            capture_output=True, text=True, check=True).stdout.splitlines()
    return [root / name for name in listed
            if Path(name).suffix.lower() in TEXT_SUFFIXES and (root / name).is_file()]


def copied_lines(root: Path, known: set[str]) -> list[str]:
    """`file:line` of every line of the repository holding a window whose fingerprint is known."""
    hits = []
    for path in project_files(root):
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for number, line in enumerate(text.splitlines(), 1):
            if any(fingerprint(w) in known for w in windows(fold(line))):
                hits.append(f"{path.relative_to(root)}:{number}")
    return hits


if __name__ == "__main__":
    print(f"{write_fingerprints(Path(sys.argv[1]))} fingerprints written to {FINGERPRINTS}")
