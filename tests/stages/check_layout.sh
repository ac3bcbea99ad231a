#!/bin/bash
# What the per-stage include roots cannot enforce by themselves (engine/CMakeLists.txt): a quoted
# include is looked up first beside the including file, so a source directly in engine/src would see
# every stage's folder, and an include climbing with ../ leaves its stage's folder. Tests may use
# internals, but not the benchmarks' code. And no public header includes Eigen, which the stages link
# privately (a client of the library compiles without it). Prints each offence and fails when there is one.
set -u
source_dir=$1
status=0
offence() { echo "$1"; status=1; }

for file in "$source_dir"/engine/src/*; do
  [[ -f $file ]] && offence "${file#"$source_dir"/}: a source outside every stage's folder (move it into one)"
done
while IFS= read -r line; do
  offence "$line: an include climbing out of the stage's folder (include by the stage's path instead)"
done < <(cd "$source_dir" && grep -rnE '#include "[^"]*\.\./' engine/src)
while IFS= read -r line; do
  offence "$line: a test including the benchmarks' code (move what both use into tests/)"
done < <(cd "$source_dir" && grep -rnE '#include "[^"]*bench/' tests)
while IFS= read -r line; do
  offence "$line: a public header including Eigen (give the type a view in a stage's private header instead)"
done < <(cd "$source_dir" && grep -rnE '#include <Eigen/' engine/include)
# Issue 22's boundary: the engine takes typed values, and no engine file names a command-line flag
# (the CLI maps engine errors onto its arguments). The flags are the ones the CLI declares.
for flag in $(cd "$source_dir" && grep -rhoE '"--[a-z][a-z-]+' cli | tr -d '"' | sort -u); do
  while IFS= read -r line; do
    offence "$line: the engine names the command-line flag $flag (say it in the CLI)"
  done < <(cd "$source_dir" && grep -rnE -- "(^|[^a-zA-Z0-9_-])$flag([^a-z-]|$)" engine)
done
exit $status
