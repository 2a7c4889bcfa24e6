"""Where the site lives and where its source is edited, decided in one place.

`mkdocs.yml` names neither: a placeholder there sent every "edit this page" link to a
repository that does not exist. The address comes from the environment, which CI sets from
its own context (`.github/workflows/deploy.yml`):

- `SITE_URL`: the published address (e.g. `https://owner.github.io/customer-patterns/`). The
  engine then writes absolute links where it needs them (the 404 pages, canonical links); with
  a path, `serve` previews under that path too. Unset, the site works at any address with
  relative links, and the 404 page is written for the host root.
- `REPO_URL` and `REPO_BRANCH` (default `main`): the repository's web address, for the
  header's link and "edit this page". Unset, they are taken from the git remote `origin` when it
  is a GitHub, GitLab or Bitbucket address; otherwise there are no edit links at all.

Values written in `mkdocs.yml` still win, so another project can use the plugin its own way.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_HOSTS = ("github.com", "gitlab.com", "bitbucket.org")
# git@github.com:owner/repo.git, ssh://git@github.com/owner/repo, https://github.com/owner/repo.git
_REMOTE = re.compile(r"^(?:[a-z+]+://)?(?:[^@/]+@)?(?P<host>[^/:]+)[:/](?P<path>[^?#]+?)(?:\.git)?/?$")


class AddressError(ValueError):
    """An address from the environment that cannot be used."""


@dataclass(frozen=True)
class SiteAddress:
    site_url: str | None
    repo_url: str | None
    repo_name: str | None
    edit_uri: str | None


def site_address(project: Path, docs_dir: Path, environ: dict[str, str] | None = None) -> SiteAddress:
    """The site's address and its repository's, from the environment or the git remote."""
    env = os.environ if environ is None else environ
    site_url = _http_url(env.get("SITE_URL"), "SITE_URL")
    if site_url and not site_url.endswith("/"):
        site_url += "/"
    repo_url = _http_url(env.get("REPO_URL"), "REPO_URL") or repository_from_remote(project)
    if not repo_url:
        return SiteAddress(site_url, None, None, None)
    repo_url = repo_url.rstrip("/")
    branch = env.get("REPO_BRANCH") or "main"
    docs = _path_in_repository(project, docs_dir)
    if urlsplit(repo_url).netloc.lower() == "bitbucket.org":
        edit_uri = f"src/{branch}/{docs}/"
    else:
        edit_uri = f"edit/{branch}/{docs}/"
    return SiteAddress(site_url, repo_url, "/".join(urlsplit(repo_url).path.strip("/").split("/")[-2:]), edit_uri)


def _http_url(value: str | None, name: str) -> str | None:
    if not value:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise AddressError(f"{name}: expected an http:// or https:// address, got {value!r}; "
                           f"set {name} to the full address or unset it")
    return value.strip()


def repository_from_remote(project: Path) -> str | None:
    """The web address of the `origin` remote when it is on a known forge; None otherwise."""
    try:
        remote = subprocess.run(["git", "remote", "get-url", "origin"], cwd=project, capture_output=True,
                                text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None
    match = _REMOTE.match(remote)
    if not match or match["host"].lower() not in _HOSTS:
        return None
    return f"https://{match['host'].lower()}/{match['path'].strip('/')}"


def _path_in_repository(project: Path, docs_dir: Path) -> str:
    """The docs folder as a path from the top of the git work tree (or from the project)."""
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=project, capture_output=True,
                             text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        top = ""
    root = Path(top).resolve() if top else project.resolve()
    try:
        return docs_dir.resolve().relative_to(root).as_posix()
    except ValueError:
        return docs_dir.name
