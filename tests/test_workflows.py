"""The repository's automation files parse and do what CONTRIBUTING promises."""

from __future__ import annotations

import yaml

from conftest import REPO


def load(name: str) -> dict:
    return yaml.safe_load((REPO / name).read_text(encoding="utf-8"))


def steps_of(job: dict) -> str:
    return "\n".join(str(step.get("run", "")) + str(step.get("uses", "")) for step in job["steps"])


def test_pull_requests_validate_build_and_test() -> None:
    workflow = load(".github/workflows/pull-request.yml")
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as True
    jobs = workflow["jobs"]
    assert set(jobs) == {"validate", "build", "test"}
    assert "patterns validate --format github" in steps_of(jobs["validate"])
    # The drift warnings need the history of the pattern files.
    assert jobs["validate"]["steps"][0]["with"]["fetch-depth"] == 0
    assert "properdocs build --strict -f mkdocs.yml" in steps_of(jobs["build"])
    assert "make test" in steps_of(jobs["test"])


def test_main_builds_and_deploys_to_pages() -> None:
    workflow = load(".github/workflows/deploy.yml")
    assert workflow[True]["push"]["branches"] == ["main"]
    assert "properdocs build --strict -f mkdocs.yml" in steps_of(workflow["jobs"]["build"])
    assert "actions/deploy-pages" in steps_of(workflow["jobs"]["deploy"])
    build = next(step for step in workflow["jobs"]["build"]["steps"] if "properdocs build" in step.get("run", ""))
    assert build["env"]["SITE_URL"] == "${{ steps.pages.outputs.base_url }}"  # the 404 pages need the real path
    assert set(build["env"]) == {"SITE_URL", "REPO_URL", "REPO_BRANCH"}


def test_pre_commit_validates_changed_pattern_files() -> None:
    hooks = [h for repo in load(".pre-commit-config.yaml")["repos"] for h in repo["hooks"]]
    assert [(h["entry"], h["files"]) for h in hooks] == [("patterns validate", r"^patterns/.*\.ya?ml$")]


def test_ci_runs_the_readme_test_command() -> None:
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert "make test" in readme and "make test" in (REPO / ".ci/run").read_text(encoding="utf-8")
