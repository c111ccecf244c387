#!/usr/bin/env bash
# A verifier program for the robustness tests. It answers every request right, with its own process id as the
# answer (so a test sees whether the program was restarted), and misbehaves when the completion says so.
# With --linger it ignores the end of its input and waits on its child, so that only a kill stops it.
while IFS= read -r line; do
  id=${line#'{"id":'}
  id=${id%%,*}
  case "$line" in
    *'"completion":"hang"'*) sleep 1000 ;;
    *'"completion":"late"'*) sleep 4; echo "{\"id\":$id,\"answerCorrect\":true,\"answer\":\"late\",\"steps\":[]}" ;;
    *'"completion":"die"'*) exit 3 ;;
    *'"completion":"garbage"'*) echo 'not json' ;;
    *'"completion":"other-id"'*) echo "{\"id\":$((id + 1)),\"answerCorrect\":true,\"answer\":\"$$\",\"steps\":[]}" ;;
    *'"completion":"child"'*) sleep 1000 & echo "{\"id\":$id,\"answerCorrect\":true,\"answer\":\"$!\",\"steps\":[]}" ;;
    *) echo "{\"id\":$id,\"answerCorrect\":true,\"answer\":\"$$\",\"steps\":[{\"start\":0,\"length\":1,\"score\":1}]}" ;;
  esac
done
if [ "$1" = --linger ]; then wait; fi
