#!/usr/bin/env bats
# lib.sh: the pure logic shared by the host scripts, function by function.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  sandbox
  load_lib
}
teardown() { teardown_sandbox; }

@test "upgrade path: patch upgrades and one minor up are allowed" {
  run check_upgrade_path 3.5.33 3.5.35
  [ "$status" -eq 0 ]
  run check_upgrade_path 3.4.23 3.5.33
  [ "$status" -eq 0 ]
  run check_upgrade_path 3.5.33 3.6.14
  [ "$status" -eq 0 ]
  run check_upgrade_path 3.6.14 3.6.14-rc.1
  [ "$status" -eq 0 ]
}

@test "upgrade path: a skipped minor is refused, naming the next step" {
  run check_upgrade_path 3.4.23 3.6.14
  [ "$status" -eq 1 ]
  [[ "$output" == *"refusing etcd 3.4.23 -> 3.6.14: upgrade one minor version at a time (first to 3.5.x)"* ]]
}

@test "upgrade path: downgrades and major changes are refused" {
  run check_upgrade_path 3.6.14 3.5.33
  [ "$status" -eq 1 ]
  [[ "$output" == *"downgrades are not supported (restore a snapshot instead)"* ]]
  run check_upgrade_path 3.6.14 4.0.0
  [ "$status" -eq 1 ]
  [[ "$output" == *"a major version change is not supported"* ]]
}

@test "upgrade path: 3.5 -> 3.6 needs the 3.5 patch the upgrade guide asks for" {
  run check_upgrade_path "3.5.$((UPGRADE_FLOOR_3_5_PATCH - 1))" 3.6.14
  [ "$status" -eq 1 ]
  [[ "$output" == *"3.5 -> 3.6 needs 3.5.$UPGRADE_FLOOR_3_5_PATCH or later first"* ]]
  run check_upgrade_path "3.5.$UPGRADE_FLOOR_3_5_PATCH" 3.6.14
  [ "$status" -eq 0 ]
}

MEMBERS='8e9e05c52164694d, started, e1, https://10.0.0.1:2380, https://10.0.0.1:2379, false
91bc3c398fb3c146, started, e2, https://10.0.0.2:2380, https://10.0.0.2:2379, false
fd422379fda50e48, unstarted, , https://10.0.0.4:2380, , false'

@test "member list: a member's id and name by its peer URL; nothing for an unknown URL" {
  [ "$(printf '%s\n' "$MEMBERS" | member_field https://10.0.0.2:2380 1)" = 91bc3c398fb3c146 ]
  [ "$(printf '%s\n' "$MEMBERS" | member_field https://10.0.0.1:2380 3)" = e1 ]
  [ -z "$(printf '%s\n' "$MEMBERS" | member_field https://10.0.0.9:2380 1)" ]
}

@test "member list: the names, sorted, space separated; an unstarted member (no name yet) keeps it from matching a spec" {
  [ "$(printf 'a, started, e3, u, c, false\na, started, e1, u, c, false\n' | member_names)" = "e1 e3" ]
  [ "$(printf '%s\n' "$MEMBERS" | member_names)" = " e1 e2" ]
}

@test "member list: the initial cluster of a joining member names itself, refuses another unstarted member" {
  run bash -c ". '$SCRIPTS_DIR/lib.sh'; printf '%s\n' \"\$1\" | initial_cluster_of e4 https://10.0.0.4:2380" _ "$MEMBERS"
  [ "$status" -eq 0 ]
  [ "$output" = "e1=https://10.0.0.1:2380,e2=https://10.0.0.2:2380,e4=https://10.0.0.4:2380" ]
  run bash -c ". '$SCRIPTS_DIR/lib.sh'; printf '%s\n' \"\$1\" | initial_cluster_of e5 https://10.0.0.5:2380" _ "$MEMBERS"
  [ "$status" -eq 1 ]
  [[ "$output" == *"unstarted member fd422379fda50e48 (https://10.0.0.4:2380) is in the way"* ]]
}

@test "quorum arithmetic: a removal must leave the other healthy members a majority of the rest" {
  removal_keeps_quorum 3 3 # 2 of 2 remain
  removal_keeps_quorum 5 5
  removal_keeps_quorum 4 5 # 3 healthy of 4 remaining
  run ! removal_keeps_quorum 3 5 # 2 healthy of 4 remaining: no majority
  run ! removal_keeps_quorum 2 3 # 1 of 2
  run ! removal_keeps_quorum 1 1 # the last member cannot be removed
}

@test "snapshot retention keeps the newest N scheduled snapshots of this member only" {
  mkdir -p "$SANDBOX/snapshots"
  for i in 1 2 3 4; do
    touch -d "2026-01-0$i" "$SANDBOX/snapshots/etcd-e2-scheduled-2026010${i}T000000Z.db"
  done
  touch -d 2026-01-01 "$SANDBOX/snapshots/etcd-e1-scheduled-20260101T000000Z.db"
  touch -d 2026-01-01 "$SANDBOX/snapshots/etcd-e2-pre-upgrade-20260101T000000Z.db"
  run prune_snapshots "$SANDBOX/snapshots" 2
  [ "$status" -eq 0 ]
  [ "$(ls "$SANDBOX/snapshots" | sort | tr '\n' ' ')" = "etcd-e1-scheduled-20260101T000000Z.db etcd-e2-pre-upgrade-20260101T000000Z.db etcd-e2-scheduled-20260103T000000Z.db etcd-e2-scheduled-20260104T000000Z.db " ]
  [[ "$output" == *"pruned $SANDBOX/snapshots/etcd-e2-scheduled-20260101T000000Z.db"* ]]
}

@test "a snapshot is saved through a .part file and named after the member, the tag and the time" {
  cp "$SCRIPTS_DIR/lib.sh" "$SANDBOX/lib.sh"
  cat >"$SANDBOX/bin/etcdctl" <<'CTL'
#!/bin/bash
for a in "$@"; do last="$a"; done
echo data >"$last"
CTL
  chmod +x "$SANDBOX/bin/etcdctl"
  run snapshot "$SANDBOX/snapshots" scheduled
  [ "$status" -eq 0 ]
  ls "$SANDBOX/snapshots"/etcd-e2-scheduled-*Z.db
  [ -z "$(ls "$SANDBOX/snapshots" | grep '\.part$' || true)" ]
  [ "$(stat -c %a "$SANDBOX/snapshots")" = 700 ]
}

@test "a failed snapshot returns non-zero with etcdctl's reason and leaves no file, even where set -e is off" {
  printf '#!/bin/bash\necho "Error: context deadline exceeded" >&2\nexit 1\n' >"$SANDBOX/bin/etcdctl"
  chmod +x "$SANDBOX/bin/etcdctl"
  run bash -c "set +e; . '$SANDBOX/params.env'; . '$SCRIPTS_DIR/lib.sh'; LOG_TAG=t; snapshot '$SANDBOX/snapshots' scheduled && echo PRUNED"
  [ "$status" -eq 1 ]
  [[ "$output" == *"snapshot of https://127.0.0.1:2379 into $SANDBOX/snapshots failed: Error: context deadline exceeded"* ]]
  [[ "$output" != *PRUNED* ]]
  [ -z "$(ls "$SANDBOX/snapshots")" ]
}

@test "upgrade floor: 3.5 -> 3.6 from 3.5.32 on (etcd's current upgrade guide); 3.5.31 is refused" {
  [ "$UPGRADE_FLOOR_3_5_PATCH" = 32 ]
  run check_upgrade_path 3.5.31 3.6.14
  [ "$status" -eq 1 ]
  [[ "$output" == *"3.5 -> 3.6 needs 3.5.32 or later first"* ]]
  run check_upgrade_path 3.5.32 3.6.14
  [ "$status" -eq 0 ]
}

@test "member ids: from member add's output, and from endpoint status as decimal text" {
  [ "$(echo 'Member 4a5b6c7d8e9f0a1b added to cluster 1c2d3e4f5a6b7c8d' | added_member_id)" = 4a5b6c7d8e9f0a1b ]
  [ "$(echo 'Member  a948fb4f77fffa8 added as learner to cluster 79c225314759b145' | added_member_id)" = a948fb4f77fffa8 ]
  [ -z "$(echo 'Error: etcdserver: unhealthy cluster' | added_member_id)" ]
  local json='[{"Endpoint":"https://10.0.0.1:2379","Status":{"header":{"cluster_id":1,"member_id":10276657743932975437,"raft_term":2},"leader":10276657743932975437}}]'
  [ "$(status_field member_id "$json")" = 10276657743932975437 ]
  [ "$(status_field leader "$json")" = 10276657743932975437 ]
}

@test "started voters: started members that are not learners" {
  [ "$(printf '%s\n' "$MEMBERS" 'abc, started, e5, https://10.0.0.5:2380, https://10.0.0.5:2379, true' | started_voters | tr '\n' ' ')" = "8e9e05c52164694d 91bc3c398fb3c146 " ]
}

@test "the stamp records cluster, member, unit and data dir; archiving moves the data aside and forgets the stamp" {
  write_stamp
  [ "$(cat "$MEMBER_STAMP")" = "STAMP_CLUSTER_ID=$CLUSTER_ID
STAMP_MEMBER_NAME=e2
STAMP_UNIT=etcd.service
STAMP_DATA_DIR=$SANDBOX/data" ]
  [ "$(stat -c %a "$MEMBER_STAMP")" = 600 ]
  mkdir -p "$SANDBOX/data/member/wal"
  run archive_data_dir
  [ "$status" -eq 0 ]
  [ ! -e "$SANDBOX/data" ]
  [ -d "$(ls -d "$SANDBOX"/data.removed-*)/member/wal" ]
  [ ! -e "$MEMBER_STAMP" ]
}

@test "answering: only the URLs whose port accepts a connection, in the order given, probed at once" {
  local listener port closed
  # A real listener on loopback, and a port that was free a moment ago (refuses).
  python3 -c 'import socket,sys,time
s=socket.socket(); s.bind(("127.0.0.1",0)); s.listen(8); print(s.getsockname()[1]); sys.stdout.flush(); time.sleep(30)' >"$SANDBOX/port" &
  listener=$!
  until [ -s "$SANDBOX/port" ]; do sleep 0.05; done
  port="$(cat "$SANDBOX/port")"
  closed="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  # Milliseconds, not $SECONDS: a call of 0.1 s that straddles a second boundary reads 1 there.
  local started elapsed_ms
  started="$(date +%s%N)"
  run answering "https://127.0.0.1:$closed,https://127.0.0.1:$port,https://[::1]:$closed"
  elapsed_ms=$((($(date +%s%N) - started) / 1000000))
  kill "$listener"
  [ "$status" -eq 0 ]
  [ "$output" = "https://127.0.0.1:$port" ]
  # No probe waited for its 1 s timeout.
  [ "$elapsed_ms" -lt 1000 ]
  run answering ""
  [ "$status" -eq 0 ]
  [ -z "$output" ]
}
