#!/usr/bin/env bash
# The README's "Build it, check it, run it" as one command, from anywhere: builds rlvr and, on its own, this plugin;
# lists and validates it; then runs the study on the plugin's task and the same study on the built-in arithmetic
# task next to it. Extra arguments go to both runs, e.g. --Run:Threads=1.
set -euo pipefail
cd "$(dirname "$0")/../.."
dotnet build Host/Rlvr.Cli -c Release
dotnet build Samples/ThirdPartyPlugin/Contoso.Rlvr.BaseConversion.csproj -c Release \
    -p:RlvrAbstractions="$PWD/Host/Rlvr.Cli/bin/Release/net10.0/Rlvr.Abstractions.dll" \
    -o artifacts/plugins/Contoso.Rlvr.BaseConversion
rlvr=(dotnet Host/Rlvr.Cli/bin/Release/net10.0/rlvr.dll)
"${rlvr[@]}" plugins --plugins artifacts/plugins
"${rlvr[@]}" validate Samples/ThirdPartyPlugin/study.json --plugins artifacts/plugins
"${rlvr[@]}" run Samples/ThirdPartyPlugin/study.json --plugins artifacts/plugins "$@"
"${rlvr[@]}" run Samples/ThirdPartyPlugin/study.json --plugins artifacts/plugins \
    --Components:Task=arithmetic --Components:Verifier=arithmetic --Run:Name=third-party-task-arithmetic "$@"
