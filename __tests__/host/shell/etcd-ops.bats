#!/usr/bin/env bats
# etcd-ops.sh on a sandbox, against a fake etcdctl (fake-etcdctl.sh: a cluster kept in files) and a
# systemctl stub: the founders' start and what it refuses, learner joins and their rollback, removal
# from a peer (also of a dead member) with its quorum rule and leader hand-off, leaving, restarts,
# and scheduled snapshots that fail loudly.

bats_require_minimum_version 1.5.0
load helpers

E1=1e9e05c52164694d
E2=21bc3c398fb3c146
E3=3d422379fda50e48

setup() {
  sandbox
  export FAKE="$SANDBOX/fake"
  mkdir -p "$FAKE"
  cp "$SCRIPTS_DIR/etcd-ops.sh" "$SCRIPTS_DIR/lib.sh" "$SANDBOX/params.env" "$SANDBOX/state/"
  cp "$BATS_TEST_DIRNAME/fake-etcdctl.sh" "$SANDBOX/bin/etcdctl"
  chmod +x "$SANDBOX/bin/etcdctl"
  # systemctl: start/restart make the unit active, stop/disable --now inactive.
  stub systemctl 'case "$*" in
    is-active*) [ -f "$SANDBOX/active" ] ;;
    "show -p ActiveState"*) if [ -f "$SANDBOX/active" ]; then echo active; else echo inactive; fi ;;
    *start*) touch "$SANDBOX/active" ;;
    *--now*|stop*) rm -f "$SANDBOX/active" ;;
  esac'
  # A cluster of three started members, all answering, e1 leading; this host is e2.
  cat >"$FAKE/members" <<LIST
$E1, started, e1, https://10.0.0.1:2380, https://10.0.0.1:2379, false
$E2, started, e2, https://10.0.0.2:2380, https://10.0.0.2:2379, false
$E3, started, e3, https://10.0.0.3:2380, https://10.0.0.3:2379, false
LIST
  printf '%s\n' https://10.0.0.1:2379 https://10.0.0.2:2379 https://10.0.0.3:2379 local >"$FAKE/up"
  # The TCP probe (timeout 1 bash -c '…/dev/tcp/HOST/PORT' HOST PORT) connects where the fake answers.
  stub timeout 'if [ "$5" = 127.0.0.1 ]; then grep -qx local "$FAKE/up"; else grep -qxF "https://$5:$6" "$FAKE/up"; fi' 
  echo "$E1" >"$FAKE/leader"
  echo "$E2" >"$FAKE/local-id"
}
teardown() { teardown_sandbox; }

ops() { run bash "$SANDBOX/state/etcd-ops.sh" "$@"; }
# this_member_is_new: e2 has no data and the cluster does not list it.
this_member_is_new() { sed -i "/^$E2, /d" "$FAKE/members"; }
nothing_answers() { : >"$FAKE/up"; }
ctl_calls() { cat "$FAKE/calls"; }
# restart_behind_a_holder SECONDS: a restart while another member holds the lock for SECONDS more.
restart_behind_a_holder() {
  touch "$FAKE/lock-block"
  ( sleep "$1"; rm -f "$FAKE/lock-block" ) &
  ops restart
  wait
}

@test "found, no data: the founders' initial cluster as new, stamped, started at once; it asks nobody, and the mark goes once etcd wrote its data" {
  # etcd writes its data dir as soon as it starts, before it waits for its peers
  stub systemctl 'case "$*" in
    is-active*) exit 3 ;;
    "show -p ActiveState"*) echo activating ;;
    *start*) mkdir -p "$SANDBOX/data/member" ;;
  esac'
  ops found
  [ "$status" -eq 0 ]
  [[ "$output" == *"bootstrapping: a founding member of a new cluster"* ]]
  [[ "$output" == *"starting as a founding member of the new cluster"* ]]
  grep -qx 'ETCD_INITIAL_CLUSTER=e1=https://10.0.0.1:2380,e2=https://10.0.0.2:2380,e3=https://10.0.0.3:2380' "$SANDBOX/state/bootstrap.env"
  grep -qx 'ETCD_INITIAL_CLUSTER_STATE=new' "$SANDBOX/state/bootstrap.env"
  grep -qx 'ETCD_INITIAL_CLUSTER_TOKEN=6f1c2a9e-0d7b-4e4a-9c1e-3b5d7f9a1c2e' "$SANDBOX/state/bootstrap.env"
  grep -qx 'STAMP_CLUSTER_ID=6f1c2a9e-0d7b-4e4a-9c1e-3b5d7f9a1c2e' "$SANDBOX/state/member.env"
  grep -qx 'STAMP_MEMBER_NAME=e2' "$SANDBOX/state/member.env"
  [[ "$(calls systemctl)" == *"start --no-block etcd.service"* ]]
  [ ! -e "$SANDBOX/state/founding" ]
  # Terraform decided (the apply that records the bootstrap): no probe of the others' ports, no
  # etcdctl, so founders started alongside (ports open, no quorum yet) hold nothing up.
  [ -z "$(calls timeout)" ]
  [ ! -e "$FAKE/calls" ]
  # its data lost later: it joins the running cluster, never as a founder again
  rm -rf "$SANDBOX/data/member"
  this_member_is_new
  printf '%s\n' https://10.0.0.1:2379 https://10.0.0.3:2379 local >"$FAKE/up"
  ops ensure-member
  [ "$status" -eq 0 ]
  [[ "$output" == *"not a member yet: joining the running cluster"* ]]
  grep -qx 'ETCD_INITIAL_CLUSTER_STATE=existing' "$SANDBOX/state/bootstrap.env"
}

@test "found, its start failed: the mark stays, and its join step, run again, starts it as a founder without asking anyone" {
  nothing_answers
  stub systemctl 'case "$*" in
    is-active*) exit 3 ;;
    *start*) exit 1 ;;
  esac'
  ops found
  [ "$status" -ne 0 ]
  [ -f "$SANDBOX/state/founding" ]
  stub systemctl 'case "$*" in
    is-active*) exit 3 ;;
    "show -p ActiveState"*) echo activating ;;
    *start*) mkdir -p "$SANDBOX/data/member" ;;
  esac'
  ops ensure-member
  [ "$status" -eq 0 ]
  [[ "$output" == *"starting as a founding member of the new cluster"* ]]
  [ ! -e "$FAKE/calls" ]
  [ ! -e "$SANDBOX/state/founding" ]
  grep -qx 'ETCD_INITIAL_CLUSTER_STATE=new' "$SANDBOX/state/bootstrap.env"
}

@test "ensure-member, a founder its peers list as never started (its join step failed before it ran): starts as one, new, not as a learner" {
  # As etcd lists it: named by the initial cluster, no client URLs published yet, a voter.
  sed -i "s/^$E2, started, e2, \(https[^,]*\), https[^,]*, false$/$E2, started, e2, \1, , false/" "$FAKE/members"
  stub systemctl 'case "$*" in
    is-active*) exit 3 ;;
    "show -p ActiveState"*) echo activating ;;
    *start*) mkdir -p "$SANDBOX/data/member" ;;
  esac'
  ops ensure-member
  [ "$status" -eq 0 ]
  [[ "$output" == *"the running cluster lists e2 as a founder that never started: it starts as one"* ]]
  grep -qx 'ETCD_INITIAL_CLUSTER_STATE=new' "$SANDBOX/state/bootstrap.env"
  [[ "$(calls systemctl)" == *"start --no-block etcd.service"* ]]
  ! grep -q 'member add' "$FAKE/calls"
  ! grep -q 'member promote' "$FAKE/calls"
}

@test "found with data: never bootstraps again, only makes sure etcd runs" {
  mkdir -p "$SANDBOX/data/member"
  nothing_answers
  ops found
  [ "$status" -eq 0 ]
  [[ "$output" == *"already holds cluster data: not bootstrapping"* ]]
  [ ! -e "$SANDBOX/state/bootstrap.env" ]
  [[ "$(calls systemctl)" == *"start --no-block etcd.service"* ]]
}

@test "join, nothing answers: retries until the deadline, then fails; never starts a new cluster (no split brain)" {
  this_member_is_new
  nothing_answers
  ops ensure-member
  [ "$status" -eq 1 ]
  [[ "$output" == *"no running cluster answers at https://10.0.0.1:2379,https://10.0.0.3:2379 after 3 s"* ]]
  [[ "$output" == *"so e2 will not start a new one"* ]]
  [ ! -e "$SANDBOX/state/bootstrap.env" ]
  [[ "$(calls systemctl)" != *start* ]]
  # it asked more than once before giving up, and never waited on etcdctl for ports that refuse
  [ "$(calls timeout | grep -c '10.0.0.1 2379')" -ge 2 ]
  ! grep -q 'endpoint status' "$FAKE/calls"
}

@test "join: a learner added under the lock (through the others), started as existing, promoted once caught up" {
  this_member_is_new
  ops ensure-member
  [ "$status" -eq 0 ]
  grep -q -- '--endpoints=https://10.0.0.1:2379,https://10.0.0.3:2379 lock etcd-deploy/membership' "$FAKE/calls"
  grep -q 'member add e2 --peer-urls=https://10.0.0.2:2380 --learner' "$FAKE/calls"
  grep -qx 'ETCD_INITIAL_CLUSTER_STATE=existing' "$SANDBOX/state/bootstrap.env"
  grep -qx 'ETCD_INITIAL_CLUSTER=e1=https://10.0.0.1:2380,e3=https://10.0.0.3:2380,e2=https://10.0.0.2:2380' "$SANDBOX/state/bootstrap.env"
  grep -q 'member promote 4a5b6c7d8e9f0a1b' "$FAKE/calls"
  grep -qx 'STAMP_MEMBER_NAME=e2' "$SANDBOX/state/member.env"
  [[ "$output" == *"promoted e2 (4a5b6c7d8e9f0a1b) to a voting member"* ]]
  [[ "$output" == *"joined; cluster healthy"* ]]
  # the add happened before the start, the promotion after it
  [[ "$(grep -n 'member add' "$FAKE/calls" | cut -d : -f 1)" -lt "$(grep -n 'member promote' "$FAKE/calls" | head -n 1 | cut -d : -f 1)" ]]
}

@test "join: a learner that never catches up is removed again, its data archived; the voters never changed" {
  this_member_is_new
  touch "$FAKE/fail-promote"
  ops ensure-member
  [ "$status" -eq 1 ]
  [[ "$output" == *"did not catch up with the cluster as a learner within 3 s and was removed again"* ]]
  grep -q 'member remove 4a5b6c7d8e9f0a1b' "$FAKE/calls"
  ! grep -q 4a5b6c7d8e9f0a1b "$FAKE/members"
  [ "$(grep -c . "$FAKE/members")" = 2 ]
  [ ! -f "$SANDBOX/active" ]
  [ ! -e "$SANDBOX/state/member.env" ]
}

@test "join: a stale entry of this member (its data gone) is removed first, under the quorum rule" {
  ops ensure-member
  [ "$status" -eq 0 ]
  [[ "$output" == *"removing the stale member e2 ($E2): its data is gone from this host"* ]]
  grep -q "member remove $E2" "$FAKE/calls"
  grep -q 'member add e2 --peer-urls=https://10.0.0.2:2380 --learner' "$FAKE/calls"
}

@test "join-running, before the bootstrap (nothing answers): left to its join step at once; nothing started, etcdctl never asked" {
  nothing_answers
  ops join-running
  [ "$status" -eq 0 ]
  [[ "$output" == *"not started yet: no member of its cluster answers, so its join step starts it"* ]]
  [ ! -e "$FAKE/calls" ]
  [ ! -e "$SANDBOX/state/bootstrap.env" ]
  [[ "$(calls systemctl)" != *start* ]]
  # one probe of each other member, no retries
  [ "$(calls timeout | grep -c '10.0.0.1 2379')" = 1 ]
}

@test "join-running, a host provisioned again after it lost its data: the stale entry goes, it joins as a learner now" {
  ops join-running
  [ "$status" -eq 0 ]
  [[ "$output" == *"removing the stale member e2 ($E2): its data is gone from this host"* ]]
  grep -q 'member add e2 --peer-urls=https://10.0.0.2:2380 --learner' "$FAKE/calls"
  grep -qx 'ETCD_INITIAL_CLUSTER_STATE=existing' "$SANDBOX/state/bootstrap.env"
  [[ "$output" == *"joined; cluster healthy"* ]]
}

@test "join-running, a member added to a running cluster: joins as a learner now; a member with data: nothing to do" {
  this_member_is_new
  ops join-running
  [ "$status" -eq 0 ]
  grep -q 'member add e2 --peer-urls=https://10.0.0.2:2380 --learner' "$FAKE/calls"
  [[ "$output" == *"promoted e2 (4a5b6c7d8e9f0a1b) to a voting member"* ]]
  rm -f "$FAKE/calls" "$SANDBOX/calls/systemctl" "$SANDBOX/calls/timeout"
  mkdir -p "$SANDBOX/data/member"
  ops join-running
  [ "$status" -eq 0 ]
  [ -z "$output" ]
  [ ! -e "$FAKE/calls" ]
  [ -z "$(calls timeout)" ]
  [ -z "$(calls systemctl)" ]
}

@test "a member with data that the cluster lists: only started if it is not running" {
  mkdir -p "$SANDBOX/data/member"
  ops ensure-member
  [ "$status" -eq 0 ]
  [[ "$(calls systemctl)" == *"start --no-block etcd.service"* ]]
  ! grep -q 'member add' "$FAKE/calls"
  rm "$SANDBOX/calls/systemctl"
  ops ensure-member
  [[ "$(calls systemctl)" != *start* ]]
}

@test "a member with data whose etcd is up and READY: left alone, the cluster is not even asked" {
  mkdir -p "$SANDBOX/data/member"
  touch "$SANDBOX/active"
  ops ensure-member
  [ "$status" -eq 0 ]
  [ ! -e "$FAKE/calls" ]
  [ -z "$(calls timeout)" ]
  [[ "$(calls systemctl)" != *start* ]]
}

@test "a member with data that the cluster removed meanwhile: old data archived, then it joins again as a learner" {
  mkdir -p "$SANDBOX/data/member"
  this_member_is_new
  ops ensure-member
  [ "$status" -eq 0 ]
  [[ "$output" == *"the cluster no longer lists e2 (it was removed): its old data is archived and it joins again"* ]]
  ls -d "$SANDBOX"/data.removed-*/member
  grep -q 'member add e2 --peer-urls=https://10.0.0.2:2380 --learner' "$FAKE/calls"
}

@test "remove-member on a peer: through the members that stay, by id, leadership moved off it first when it leads" {
  echo "$E3" >"$FAKE/leader"
  ops remove-member e3 https://10.0.0.3:2380 https://10.0.0.3:2379
  [ "$status" -eq 0 ]
  grep -q -- '--endpoints=https://10.0.0.1:2379,https://10.0.0.2:2379 lock etcd-deploy/membership' "$FAKE/calls"
  grep -q "move-leader $E1" "$FAKE/calls"
  grep -q "member remove $E3" "$FAKE/calls"
  [[ "$(grep -n move-leader "$FAKE/calls" | cut -d : -f 1)" -lt "$(grep -n 'member remove' "$FAKE/calls" | cut -d : -f 1)" ]]
  [ -z "$(calls systemctl)" ] # nothing changes on the peer itself
}

@test "remove-member of a dead host: succeeds while the members that stay are a healthy majority" {
  sed -i '/10.0.0.3:2379/d' "$FAKE/up"
  ops remove-member e3 https://10.0.0.3:2380 https://10.0.0.3:2379
  [ "$status" -eq 0 ]
  grep -q "member remove $E3" "$FAKE/calls"
  ! grep -q move-leader "$FAKE/calls"
}

@test "remove-member is refused when the members that would remain are not a healthy majority" {
  printf '%s\n' https://10.0.0.2:2379 local >"$FAKE/up"
  ops remove-member e3 https://10.0.0.3:2380 https://10.0.0.3:2379
  [ "$status" -eq 1 ]
  [[ "$output" == *"refusing to remove member $E3: only 1 of the 2 members that would remain are healthy; fix them first"* ]]
  ! grep -q 'member remove' "$FAKE/calls"
}

@test "remove-member of a member that is gone already: nothing to do" {
  sed -i "/^$E3, /d" "$FAKE/members"
  ops remove-member e3 https://10.0.0.3:2380 https://10.0.0.3:2379
  [ "$status" -eq 0 ]
  [[ "$output" == *"e3 is not a member (already removed)"* ]]
}

@test "retire: stops and disables etcd for good; data archived, never deleted" {
  mkdir -p "$SANDBOX/data/member"
  touch "$SANDBOX/active" "$SANDBOX/state/member.env"
  ops retire
  [ "$status" -eq 0 ]
  [[ "$(calls systemctl)" == *"disable --now etcd.service"* ]]
  ls -d "$SANDBOX"/data.removed-*/member
  [ ! -e "$SANDBOX/data" ]
  [ ! -e "$SANDBOX/state/member.env" ]
}

@test "leave: removed through the others under the lock (its own endpoint is not used), then stopped; data archived" {
  mkdir -p "$SANDBOX/data/member"
  touch "$SANDBOX/active"
  echo "$E2" >"$FAKE/leader"
  ops leave
  [ "$status" -eq 0 ]
  grep -q -- '--endpoints=https://10.0.0.1:2379,https://10.0.0.3:2379 lock etcd-deploy/membership' "$FAKE/calls"
  grep -q "move-leader $E1" "$FAKE/calls"
  grep -q "member remove $E2" "$FAKE/calls"
  [ ! -f "$SANDBOX/active" ]
  ls -d "$SANDBOX"/data.removed-*/member
  [[ "$output" == *"etcd on e2 stopped and disabled; data not deleted"* ]]
}

@test "leave while the members it waits on leave too: it stops waiting, and alone it only stops" {
  mkdir -p "$SANDBOX/data/member"
  touch "$SANDBOX/active" "$FAKE/lock-block"
  # e1 and e3 leave (a parallel destroy) while e2 waits for the lock through them.
  (
    sleep 2
    grep "^$E2" "$FAKE/members" >"$FAKE/one" && mv "$FAKE/one" "$FAKE/members"
    printf '%s\n' https://10.0.0.2:2379 local >"$FAKE/up"
  ) &
  ops leave
  wait
  [ "$status" -eq 0 ]
  [[ "$output" == *"last member of the cluster: stopping etcd.service"* ]]
  ! grep -q ' lock etcd-deploy/membership' "$FAKE/calls"
  ! grep -q 'member remove' "$FAKE/calls"
  [ ! -f "$SANDBOX/active" ]
  [ -d "$SANDBOX/data/member" ]
}

@test "while another member holds the lock it waits with short reads, no lock client (no stream open on a member that may restart), through the member that answers" {
  mkdir -p "$SANDBOX/data/member"
  touch "$SANDBOX/active" "$FAKE/lock-block"
  printf '%s\n' https://10.0.0.1:2379 https://10.0.0.2:2379 local >"$FAKE/up"   # e3 down, e1 answers
  # e3 is back (its restart done) when the lock is released.
  ( sleep 8; printf '%s\n' https://10.0.0.1:2379 https://10.0.0.2:2379 https://10.0.0.3:2379 local >"$FAKE/up"; rm -f "$FAKE/lock-block" ) &
  ops leave
  wait
  [ "$status" -eq 0 ]
  [ "$(grep -c ' lock etcd-deploy/membership' "$FAKE/calls")" -eq 1 ]
  [ "$(grep -c -- 'get --consistency=s --prefix --keys-only etcd-deploy/membership/' "$FAKE/calls")" -ge 10 ]
  [[ "$output" == *"removing member e2 ($E2)"* ]]
}

@test "two members saw the lock free at once: the one that lost sees two clients and steps back within half a second, quietly, and asks again once it is free" {
  mkdir -p "$SANDBOX/data/member"
  touch "$SANDBOX/active" "$FAKE/lock-block" "$FAKE/lock-hidden"
  ( sleep 3; rm -f "$FAKE/lock-hidden"; sleep 2; rm -f "$FAKE/lock-block" ) &
  ops leave
  wait
  [ "$status" -eq 0 ]
  # Three seconds of a lock that looks free but is taken: a new client about every half second.
  [ "$(grep -c ' lock etcd-deploy/membership' "$FAKE/calls")" -ge 5 ]
  [ "$(grep -c 'member remove' "$FAKE/calls")" -eq 1 ]
  [[ "$output" != *"lock session lost"* ]]
  [[ "$output" != *"context canceled"* ]]
  ! pgrep -f "$SANDBOX/bin/etcdctl" >/dev/null
}

@test "a lock client alone in the queue whose operation does not start steps back after a second, not before" {
  mkdir -p "$SANDBOX/data/member"
  # No key ever shows (the lock looks free, its client waits alone): no contender to see.
  touch "$SANDBOX/active" "$FAKE/lock-block" "$FAKE/lock-hidden" "$FAKE/lock-alone"
  ( sleep 2.6; rm -f "$FAKE/lock-block" ) &
  ops leave
  wait
  [ "$status" -eq 0 ]
  # One client a second: at most three before the lock frees at 2.6 s (not one every half second).
  [ "$(grep -c ' lock etcd-deploy/membership' "$FAKE/calls")" -le 4 ]
  [ "$(grep -c 'member remove' "$FAKE/calls")" -eq 1 ]
}

@test "a lock client that cannot step back (the members it talked to left) is killed after 2 s, and the wait goes on" {
  mkdir -p "$SANDBOX/data/member"
  touch "$SANDBOX/active" "$FAKE/lock-block" "$FAKE/lock-hidden" "$FAKE/lock-stuck"
  ( sleep 4; rm -f "$FAKE/lock-hidden" "$FAKE/lock-stuck"; sleep 1; rm -f "$FAKE/lock-block" ) &
  run /usr/bin/timeout 40 bash "$SANDBOX/state/etcd-ops.sh" leave
  wait
  [ "$status" -eq 0 ]
  [ "$(grep -c 'member remove' "$FAKE/calls")" -eq 1 ]
  ! pgrep -f "$SANDBOX/bin/etcdctl" >/dev/null
}

@test "waiting for the lock while every member it could take it through stops answering: fails after health.timeoutSeconds, nothing done" {
  mkdir -p "$SANDBOX/data/member"
  touch "$SANDBOX/active" "$FAKE/lock-block"
  ( sleep 1; : >"$FAKE/up" ) &
  ops restart
  wait
  [ "$status" -eq 1 ]
  [[ "$output" == *"answered for 3 s: restart-locked-plain not done"* ]]
  ! grep -q ' lock etcd-deploy/membership' "$FAKE/calls"
  [[ "$(calls systemctl)" != *restart* ]]
}

@test "leave as the last member: not removed (it cannot be), only stopped, data kept in place" {
  grep "^$E2" "$FAKE/members" >"$FAKE/one" && mv "$FAKE/one" "$FAKE/members"
  printf 'local\n' >"$FAKE/up"
  mkdir -p "$SANDBOX/data/member"
  ops leave
  [ "$status" -eq 0 ]
  [[ "$output" == *"last member of the cluster: stopping etcd.service; data kept in $SANDBOX/data"* ]]
  ! grep -q 'member remove' "$FAKE/calls"
  [ -d "$SANDBOX/data/member" ]
}

@test "leave without a reachable quorum: only stops, with a warning" {
  nothing_answers
  ops leave
  [ "$status" -eq 0 ]
  [[ "$output" == *"WARNING: no quorum reachable: stopping etcd.service without a membership change"* ]]
}

@test "restart while another member holds the lock: waits for its turn at once, without probing the others for a quorum" {
  restart_behind_a_holder 1
  [ "$status" -eq 0 ]
  # The lock's keys were read from this member's own copy (serializable), and nobody was asked for its status.
  grep -q -- '--endpoints=https://127.0.0.1:2379 .*get --consistency=s --prefix --keys-only etcd-deploy/membership/' "$FAKE/calls"
  lock_line="$(grep -n ' lock etcd-deploy/membership ' "$FAKE/calls" | head -n 1 | cut -d: -f1)"
  [ -n "$lock_line" ]
  ! head -n "$lock_line" "$FAKE/calls" | grep -q 'endpoint status'
  [[ "$output" == *"restarted; cluster healthy"* ]]
}

@test "a restart waiter watches a busy lock through its own etcd every 0.1 s, going through the others only every tenth look" {
  restart_behind_a_holder 3
  [ "$status" -eq 0 ]
  own="$(grep -c -- '--endpoints=https://127.0.0.1:2379 .*get --consistency=s --prefix --keys-only etcd-deploy/membership/' "$FAKE/calls")"
  others="$(grep -c -- '--endpoints=https://10.0.0.1:2379,https://10.0.0.3:2379 .*get --consistency=s --prefix --keys-only etcd-deploy/membership/' "$FAKE/calls")"
  [ "$own" -ge 12 ]
  [ "$others" -ge 1 ] && [ "$others" -le $((own / 8 + 2)) ]
  [[ "$output" == *"restarted; cluster healthy"* ]]
}

@test "a restart waiter that sees the lock free through its own etcd takes it at once, through the members of its last full look (no new member list)" {
  restart_behind_a_holder 0.6
  [ "$status" -eq 0 ]
  lock_line="$(grep -n ' lock etcd-deploy/membership ' "$FAKE/calls" | head -n 1 | cut -d: -f1)"
  [ -n "$lock_line" ]
  [ "$(head -n "$lock_line" "$FAKE/calls" | grep -c 'member list')" -eq 1 ]
  grep -q -- '--endpoints=https://10.0.0.1:2379,https://10.0.0.3:2379 lock etcd-deploy/membership bash' "$FAKE/calls"
  [[ "$output" == *"restarted; cluster healthy"* ]]
}

@test "restart: under the lock through the others, health-gated; an upgrade takes a snapshot first and refuses without one" {
  ops restart
  [ "$status" -eq 0 ]
  grep -q -- '--endpoints=https://10.0.0.1:2379,https://10.0.0.3:2379 lock etcd-deploy/membership bash' "$FAKE/calls"
  [[ "$(calls systemctl)" == *"restart etcd.service"* ]]
  [[ "$output" == *"restarted; cluster healthy"* ]]
  ! grep -q 'snapshot save' "$FAKE/calls"
  rm "$SANDBOX/calls/systemctl"
  : >"$FAKE/calls"
  ops restart-upgrade
  [ "$status" -eq 0 ]
  [[ "$output" == *"snapshot saved: $SANDBOX/state/snapshots/etcd-e2-pre-upgrade-"* ]]
  [[ "$(calls systemctl)" == *"restart etcd.service"* ]]
  # The snapshot comes before the member waits for its turn: members save theirs side by side.
  snap_line="$(grep -n 'snapshot save' "$FAKE/calls" | head -n 1 | cut -d: -f1)"
  lock_line="$(grep -n ' lock etcd-deploy/membership ' "$FAKE/calls" | head -n 1 | cut -d: -f1)"
  [ -n "$snap_line" ] && [ -n "$lock_line" ] && [ "$snap_line" -lt "$lock_line" ]
  rm "$SANDBOX/calls/systemctl"
  touch "$FAKE/fail-snapshot"
  ops restart-upgrade
  [ "$status" -eq 1 ]
  [[ "$output" == *"no pre-upgrade snapshot: not upgrading e2"* ]]
  [[ "$(calls systemctl)" != *restart* ]]
}

@test "restart announces that it waits (a key on a lease) and withdraws it under the lock, through the others, as it restarts" {
  ops restart
  [ "$status" -eq 0 ]
  put_line="$(grep -n 'put --lease=694d7a1c2b3e4f77 etcd-deploy/membership-restarts/e2 https://10.0.0.2:2379' "$FAKE/calls" | head -n 1 | cut -d: -f1)"
  lock_line="$(grep -n ' lock etcd-deploy/membership ' "$FAKE/calls" | head -n 1 | cut -d: -f1)"
  del_line="$(grep -n -- '--endpoints=https://10.0.0.1:2379,https://10.0.0.3:2379 .*del etcd-deploy/membership-restarts/e2' "$FAKE/calls" | head -n 1 | cut -d: -f1)"
  [ -n "$put_line" ] && [ -n "$lock_line" ] && [ -n "$del_line" ]
  [ "$put_line" -lt "$lock_line" ] && [ "$lock_line" -lt "$del_line" ]
  grep -q -- 'lease grant 3' "$FAKE/calls"
  [ ! -s "$FAKE/kv" ]
  [[ "$output" != *"restart first"* ]]
}

@test "restart on a running cluster: its announcement (granted only through a quorum) says the cluster runs, so no quorum probe; a follower asks who leads once, not again under the lock" {
  ops restart
  [ "$status" -eq 0 ]
  [[ "$output" == *"restarted; cluster healthy"* ]]
  ! grep -q 'quorum-probe' "$FAKE/calls"
  [ "$(grep -c 'endpoint status' "$FAKE/calls")" -eq 1 ]
  status_line="$(grep -n 'endpoint status' "$FAKE/calls" | cut -d: -f1)"
  lock_line="$(grep -n ' lock etcd-deploy/membership ' "$FAKE/calls" | head -n 1 | cut -d: -f1)"
  [ "$status_line" -lt "$lock_line" ]
}

@test "restart with no quorum reachable (its announcement refused, nobody answers): restarts at once, without the lock" {
  nothing_answers
  ops restart
  [ "$status" -eq 0 ]
  [[ "$output" == *"no quorum reachable: restarting without waiting"* ]]
  [[ "$(calls systemctl)" == *"restart --no-block etcd.service"* ]]
  ! grep -q ' lock etcd-deploy/membership ' "$FAKE/calls"
}

@test "a restart that fails while it waits withdraws its announcement" {
  touch "$FAKE/lock-block"
  ( sleep 1; printf 'local\n' >"$FAKE/up" ) &
  ops restart
  wait
  [ "$status" -eq 1 ]
  grep -q 'del etcd-deploy/membership-restarts/e2' "$FAKE/calls"
  [ ! -s "$FAKE/kv" ]
}

@test "leader last: a leader lets the members that announced a restart go first, then restarts; a follower does not wait" {
  echo "$E2" >"$FAKE/leader"
  echo etcd-deploy/membership-restarts/e3 >"$FAKE/kv"
  # e3 takes its turn after 1.5 s: its announcement goes.
  ( sleep 1.5; grep -c ' lock etcd-deploy/membership ' "$FAKE/calls" >"$FAKE/locks-while-e3-waited" || true
    sed -i '/restarts\/e3$/d' "$FAKE/kv" ) &
  ops restart
  wait
  [ "$status" -eq 0 ]
  [ "$(cat "$FAKE/locks-while-e3-waited")" -eq 0 ]
  [ "$(grep -c 'leads the cluster: letting e3 restart first (a leader restarts last)' <<<"$output")" -eq 1 ]
  [[ "$output" == *"restarted; cluster healthy"* ]]
  # The same member as a follower: no waiting for e3.
  echo "$E1" >"$FAKE/leader"
  echo etcd-deploy/membership-restarts/e3 >"$FAKE/kv"
  rm "$SANDBOX/calls/systemctl"
  : >"$FAKE/calls"
  ops restart
  [ "$status" -eq 0 ]
  [[ "$output" != *"restart first"* ]]
  [[ "$(calls systemctl)" == *"restart etcd.service"* ]]
}

@test "leader last: a leader moves its leadership to another started voter after the health gate, then restarts as a follower; a follower moves nothing" {
  echo "$E2" >"$FAKE/leader"
  ops restart
  [ "$status" -eq 0 ]
  grep -q "move-leader $E1" "$FAKE/calls"
  [ "$(cat "$FAKE/leader")" = "$E1" ]
  gate_line="$(grep -n 'endpoint health --cluster' "$FAKE/calls" | head -n 1 | cut -d: -f1)"
  move_line="$(grep -n 'move-leader' "$FAKE/calls" | cut -d: -f1)"
  [ -n "$gate_line" ] && [ "$gate_line" -lt "$move_line" ]
  [[ "$output" == *"leads the cluster: moving its leadership to $E1 before it restarts"*"restarting etcd.service"* ]]
  [[ "$output" == *"restarted; cluster healthy"* ]]
  # A follower: no move, and who leads was asked once, before the lock.
  : >"$FAKE/calls"
  ops restart
  [ "$status" -eq 0 ]
  ! grep -q move-leader "$FAKE/calls"
  [ "$(grep -c 'endpoint status' "$FAKE/calls")" -eq 1 ]
  [[ "$output" != *"moving its leadership"* ]]
}

@test "leader last: a leader whose move fails restarts anyway (etcd hands over as it stops)" {
  echo "$E2" >"$FAKE/leader"
  touch "$FAKE/fail-move"
  ops restart
  [ "$status" -eq 0 ]
  [[ "$output" == *"move-leader failed: etcd hands its leadership over as it stops"* ]]
  [[ "$(calls systemctl)" == *"restart etcd.service"* ]]
  [[ "$output" == *"restarted; cluster healthy"* ]]
}

@test "leader last: a leader that got the lock first looks again at the announcements before it restarts, and hands the lock back to a member that announced meanwhile" {
  echo "$E2" >"$FAKE/leader"
  # e3 announces the moment e2 got the lock; e3's turn ends 1.5 s later.
  cat >"$FAKE/on-lock" <<'HOOK'
echo etcd-deploy/membership-restarts/e3 >>"$FAKE/kv"
( sleep 1.5; grep -c ' lock etcd-deploy/membership ' "$FAKE/calls" >"$FAKE/locks-while-e3-waited"; sed -i '/restarts\/e3$/d' "$FAKE/kv" ) >/dev/null 2>&1 &
HOOK
  ops restart
  [ "$status" -eq 0 ]
  [ "$(cat "$FAKE/locks-while-e3-waited")" -eq 1 ]
  [ "$(grep -c ' lock etcd-deploy/membership ' "$FAKE/calls")" -eq 2 ]
  # Under the lock it only reads the announcements again: it led a moment ago, before the lock.
  awk '/ lock etcd-deploy\/membership / { held = 1 } held && /endpoint status/ { bad = 1 } held && /membership-restarts\// { held = 0 } END { exit bad }' "$FAKE/calls"
  # ...and hands the lock back before its health gate: the member it yields to runs its own.
  awk '/ lock etcd-deploy\/membership / && !seen { held = 1; seen = 1 } held && /endpoint health/ { bad = 1 } held && /membership-restarts\// { held = 0 } END { exit bad }' "$FAKE/calls"
  [[ "$output" == *"letting e3 restart first"* ]]
  [ "$(calls systemctl | grep -c 'restart etcd.service')" -eq 1 ]
  [[ "$output" == *"restarted; cluster healthy"* ]]
  [ ! -s "$FAKE/kv" ]
}

@test "leader last: a leader waits for an announced restart that never comes at most until its deadline (min(health.timeoutSeconds, 30 s))" {
  echo "$E2" >"$FAKE/leader"
  echo etcd-deploy/membership-restarts/e3 >"$FAKE/kv"
  start=$(date +%s)
  ops restart
  [ "$status" -eq 0 ]
  [ $(($(date +%s) - start)) -ge 2 ]
  [[ "$output" == *"letting e3 restart first"* ]]
  [[ "$(calls systemctl)" == *"restart etcd.service"* ]]
}

@test "a scheduled snapshot is saved and older ones pruned" {
  mkdir -p "$SANDBOX/snapshots"
  for i in 1 2 3; do touch -d "2026-01-0$i" "$SANDBOX/snapshots/etcd-e2-scheduled-2026010${i}T000000Z.db"; done
  ops snapshot-scheduled
  [ "$status" -eq 0 ]
  [[ "$output" == *"snapshot saved: $SANDBOX/snapshots/etcd-e2-scheduled-"* ]]
  [ "$(find "$SANDBOX/snapshots" -name '*scheduled*.db' | grep -c .)" = 2 ]
}

@test "a failed scheduled snapshot fails (so does its unit), says why, and prunes nothing" {
  mkdir -p "$SANDBOX/snapshots"
  for i in 1 2 3; do touch -d "2026-01-0$i" "$SANDBOX/snapshots/etcd-e2-scheduled-2026010${i}T000000Z.db"; done
  touch "$FAKE/fail-snapshot"
  ops snapshot-scheduled
  [ "$status" -eq 1 ]
  [[ "$output" == *"failed: Error: rpc error: code = Unavailable desc = connection refused"* ]]
  [[ "$output" == *"scheduled snapshot failed; earlier snapshots kept in $SANDBOX/snapshots"* ]]
  [ "$(find "$SANDBOX/snapshots" -name '*scheduled*.db' | grep -c .)" = 3 ]
  [ -z "$(find "$SANDBOX/snapshots" -name '*.part')" ]
}
