"""Secrets and personal data in captured logs: the bot tokens and API keys a run used, the fuzz phones and
e-mails (in any written form: separators, Persian or Arabic digits), and anything shaped like an OAuth token.

    uv run python bench/reliability/logscan.py RUN_FOLDER   # rescan a run kept with --keep (secrets.json)

Findings are reported with file and line number; the excerpt shown has the secret replaced by its kind, so
the report itself leaks nothing.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from collections import Counter
from dataclasses import asdict, dataclass, field
from pathlib import Path

_DIGITS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩", "01234567890123456789")
_NUMBER_RUN = re.compile(r"\d[\d\s().\-/]{6,}\d")
_SHAPES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("bot_token_shape", re.compile(r"(?<!\d)\d{6,12}:[A-Za-z0-9_-]{30,}")),
    ("api_key_shape", re.compile(r"\bsk-[A-Za-z0-9_-]{16,}")),
    ("oauth_google_token", re.compile(r"\bya29\.[0-9A-Za-z_-]{10,}|\b1//0[0-9A-Za-z_-]{10,}")),
    (
        "oauth_field",
        re.compile(
            r"(?i)\b(access_token|refresh_token|id_token|client_secret)[\"']?\s*[=:]\s*[\"']?(?![<*])"
            r"[A-Za-z0-9._~+/-]{8,}"
        ),
    ),
    ("oauth_code", re.compile(r"(?i)[?&]code=(?![<*])[^&\s\"']{8,}")),
    ("bearer", re.compile(r"(?i)\bbearer\s+(?![<*])[A-Za-z0-9._~+/=-]{8,}")),
)


@dataclass
class Secrets:
    """What must never appear in a log line."""

    tokens: list[str] = field(default_factory=list)
    """Bot tokens and API keys, verbatim (the part after a token's colon counts too)."""
    phones: list[str] = field(default_factory=list)
    """National significant numbers (digits only)."""
    emails: list[str] = field(default_factory=list)

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(asdict(self)))

    @classmethod
    def load(cls, path: Path) -> Secrets:
        return cls(**json.loads(path.read_text()))


@dataclass
class Finding:
    file: str
    line: int
    kind: str
    excerpt: str


@dataclass
class Scan:
    lines: int = 0
    findings: list[Finding] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.kind for f in self.findings))

    def lines_with_secrets(self) -> int:
        return len({(f.file, f.line) for f in self.findings})


def _excerpt(line: str, start: int, end: int, kind: str) -> str:
    left = max(0, start - 60)
    shown = line[left:start] + f"<{kind}>" + line[end : end + 60]
    return ("…" if left else "") + shown.replace("\n", " ")[:160]


class Scanner:
    def __init__(self, secrets: Secrets) -> None:
        needles = set(secrets.tokens) | {t.split(":", 1)[1] for t in secrets.tokens if ":" in t}
        self.tokens = sorted((n for n in needles if len(n) >= 8), key=len, reverse=True)
        self.phones = set(secrets.phones)
        self.lengths = sorted({len(p) for p in self.phones})
        self.emails = sorted({e.lower() for e in secrets.emails}, key=len, reverse=True)

    def line(self, line: str) -> list[tuple[str, int, int]]:
        """(kind, start, end) of every secret in `line`."""
        found: list[tuple[str, int, int]] = []
        for token in self.tokens:
            at = line.find(token)
            if at >= 0:
                found.append(("bot_token_or_api_key", at, at + len(token)))
        lowered = line.lower()
        for email in self.emails:
            at = lowered.find(email)
            if at >= 0:
                found.append(("email", at, at + len(email)))
        if self.phones:
            normal = line.translate(_DIGITS)
            for run in _NUMBER_RUN.finditer(normal):
                digits = re.sub(r"\D", "", run.group())
                if any(
                    digits[i : i + n] in self.phones for n in self.lengths for i in range(len(digits) - n + 1)
                ):
                    found.append(("phone", run.start(), run.end()))
        for kind, pattern in _SHAPES:
            found += [(kind, m.start(), m.end()) for m in pattern.finditer(line)]
        return found

    def scan(self, paths: list[Path], scan: Scan | None = None) -> Scan:
        scan = scan or Scan()
        for path in paths:
            if not path.exists():
                continue
            with path.open(encoding="utf-8", errors="replace") as handle:
                for number, line in enumerate(handle, 1):
                    scan.lines += 1
                    for kind, start, end in self.line(line):
                        scan.findings.append(
                            Finding(path.name, number, kind, _excerpt(line, start, end, kind))
                        )
        return scan


def report(scan: Scan, *, show: int = 12) -> None:
    print(
        f"  log lines scanned: {scan.lines}; lines with a secret or personal datum: {scan.lines_with_secrets()}"
    )
    for kind, count in sorted(scan.counts().items()):
        print(f"    {kind:<24} {count}")
    for finding in scan.findings[:show]:
        print(f"    {finding.file}:{finding.line} [{finding.kind}] {finding.excerpt}")


def summary(scan: Scan, *, keep: int = 50) -> dict[str, object]:
    return {
        "lines_scanned": scan.lines,
        "lines_with_secrets": scan.lines_with_secrets(),
        "by_kind": scan.counts(),
        "first_findings": [asdict(f) for f in scan.findings[:keep]],
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("run", type=Path, help="A run folder kept with --keep (has secrets.json and logs/).")
    args = parser.parse_args()
    secrets = Secrets.load(args.run / "secrets.json")
    scan = Scanner(secrets).scan(sorted((args.run / "logs").glob("*.log")))
    report(scan, show=50)
    sys.exit(1 if scan.findings else 0)


if __name__ == "__main__":
    main()
