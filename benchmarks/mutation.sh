#!/usr/bin/env bash
# Mutation testing of the core modules with mutmut (not run in CI: it takes a while).
#   bash benchmarks/mutation.sh [REVISION]     (default: HEAD; MUTMUT_MODULES narrows it)
# Runs in a temporary copy of REVISION (git archive), so the tree is never touched; prints
# mutmut's summary, the score (killed / all) and every surviving mutant's diff.
# Property tests run the `mutation` hypothesis profile (fewer examples, fixed seed).
set -euo pipefail
cd "$(dirname "$0")/.."
rev="${1:-HEAD}"
[ -x .venv/bin/python ] || bash dev.sh lint >/dev/null
.venv/bin/python -m pip install -q --disable-pip-version-check "mutmut==3.8.1" 2>&1 | grep -v '^WARNING: Location' || true
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
git archive "$rev" | tar -x -C "$work"
cd "$work"
if ! grep -q '"mutation"' tests/conftest.py; then  # an older revision: give it the same profile
  sed -i 's/^settings.load_profile(/settings.register_profile("mutation", derandomize=True, max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])\nsettings.load_profile(/' tests/conftest.py
fi
# MUTMUT_MODULES="a.py b.py" narrows the run (a quick comparison of two revisions)
read -r -a modules <<< "${MUTMUT_MODULES:-convention_rules/deciding/resolve.py convention_rules/deciding/kleene.py convention_rules/deciding/compiler.py convention_rules/deciding/facts.py convention_rules/law/legaltime.py convention_rules/law/money.py}"
tests=()
# MUTMUT_TESTS="..." replaces the selection (an older revision whose case files depend on
# the day they run cannot run them today)
for t in ${MUTMUT_TESTS:-tests/test_semantics.py tests/test_engine.py tests/test_language.py \
         tests/test_legaltime.py tests/test_money.py tests/test_loader.py tests/test_properties.py \
         tests/test_agreement_properties.py tests/test_casefile_errors.py rulesets/}; do
  [ -e "$t" ] && tests+=("$t")
done
{
  echo
  echo "[tool.mutmut]"
  echo 'source_paths = ["convention_rules/"]'
  printf 'only_mutate = [%s]\n' "$(printf '"%s", ' "${modules[@]}")"
  printf 'pytest_add_cli_args_test_selection = [%s]\n' "$(printf '"%s", ' "${tests[@]}")"
  echo 'pytest_add_cli_args = ["-p", "no:randomly", "-q"]'
  echo 'also_copy = ["rulesets/"]'
} >> pyproject.toml
export CONVENTION_RULES_HYPOTHESIS=mutation
start=$(date +%s)
"$OLDPWD/.venv/bin/mutmut" run --max-children "${MUTMUT_CHILDREN:-2}" 2>&1 | tr '\r' '\n' | grep -v '^⠀\|^.\s*[0-9]*/[0-9]* ' | tail -3
"$OLDPWD/.venv/bin/mutmut" results --all true > results.txt 2>&1 || true
killed=$(grep -c ': killed' results.txt || true)
survived=$(grep -c ': survived' results.txt || true)
other=$(grep -c ': ' results.txt || true)
echo "revision $(git -C "$OLDPWD" rev-parse --short "$rev"): $other mutants, $killed killed, $survived survived" \
     "(score $(( 100 * killed / (other > 0 ? other : 1) )) %), $(( $(date +%s) - start )) s"
for module in "${modules[@]}"; do
  name="${module%.py}"; name="${name//\//.}"
  k=$(grep "^ *$name\." results.txt | grep -c ': killed' || true)
  n=$(grep -c "^ *$name\." results.txt || true)
  echo "  $module: $k / $n killed"
done
echo "surviving mutants:"
for m in $(grep ': survived' results.txt | awk -F: '{print $1}'); do
  echo "--- $m"
  "$OLDPWD/.venv/bin/mutmut" show "$m" 2>&1 | grep '^[-+] ' || true
done
