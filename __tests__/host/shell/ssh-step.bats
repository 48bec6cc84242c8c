#!/usr/bin/env bats
# ssh-step.sh, the destroy-time step Terraform runs on the applying machine: which key it uses (key
# file, TF_VAR_ssh_private_key through a private agent, the caller's agent), host keys pinned under
# an alias, the bastion as a ProxyCommand, retries only while ssh cannot connect, the command's own
# exit status passed on. ssh, ssh-agent and ssh-add are stubs.

bats_require_minimum_version 1.5.0
load helpers

setup() {
  sandbox
  # ssh: records its argv one word per line in calls/ssh-argv-N, prints its known_hosts, answers
  # with $SANDBOX/ssh-status (default 0) and $SANDBOX/ssh-stderr.
  stub ssh 'n=$(ls "$SANDBOX/calls" | grep -c "^ssh-argv" || true)
printf "%s\n" "$@" >"$SANDBOX/calls/ssh-argv-$n"
for a in "$@"; do case "$a" in UserKnownHostsFile=/dev/null) ;; UserKnownHostsFile=*) cp "${a#UserKnownHostsFile=}" "$SANDBOX/calls/known_hosts" ;; esac; done
[ -f "$SANDBOX/ssh-stderr" ] && cat "$SANDBOX/ssh-stderr" >&2
exit "$(cat "$SANDBOX/ssh-status" 2>/dev/null || echo 0)"'
  stub ssh-agent 'sleep 300 >/dev/null 2>&1 & echo $! >"$SANDBOX/agent-pid"; echo "SSH_AUTH_SOCK=$SANDBOX/agent.sock; export SSH_AUTH_SOCK; SSH_AGENT_PID=$!; export SSH_AGENT_PID;"'
  stub ssh-add 'cat >"$SANDBOX/calls/ssh-add-stdin"'
  export ETCD_SSH_MEMBER=e2 ETCD_SSH_NOTE='e2 leaves the cluster' ETCD_SSH_COMMAND='sudo -n bash /var/lib/etcd-deploy/etcd-ops.sh leave'
  export ETCD_SSH_HOST=10.0.0.2 ETCD_SSH_USER=ubuntu ETCD_SSH_PORT=2222 ETCD_SSH_TIMEOUT=5s ETCD_SSH_HOST_KEY='' ETCD_SSH_KEY_FILE=''
  export ETCD_SSH_BASTION_HOST='' ETCD_SSH_BASTION_USER='' ETCD_SSH_BASTION_PORT='' ETCD_SSH_BASTION_HOST_KEY='' ETCD_SSH_BASTION_KEY_FILE=''
  unset TF_VAR_ssh_private_key SSH_AUTH_SOCK
  STEP="$SCRIPTS_DIR/ssh-step.sh"
}
teardown() { teardown_sandbox; }

argv() { cat "$SANDBOX/calls/ssh-argv-${1:-0}"; }

@test "a member removed earlier: the note, and nothing run anywhere" {
  ETCD_SSH_COMMAND='' run bash "$STEP"
  [ "$status" -eq 0 ]
  [[ "$output" == *"[etcd-deploy e2] e2 leaves the cluster"* ]]
  [[ "$output" == *"nothing to run on a host"* ]]
  [ -z "$(calls ssh)" ]
}

@test "the spec's key file: ssh with that identity only, the user, port, host and the command as one argument" {
  ETCD_SSH_KEY_FILE=/keys/id_ed25519 run bash "$STEP"
  [ "$status" -eq 0 ]
  argv | grep -qx -- '-i'
  argv | grep -qx -- '/keys/id_ed25519'
  argv | grep -qx -- 'IdentitiesOnly=yes'
  argv | grep -qx -- 'BatchMode=yes'
  [ "$(argv | tail -n 6 | tr '\n' ' ')" = "-p 2222 -l ubuntu 10.0.0.2 sudo -n bash /var/lib/etcd-deploy/etcd-ops.sh leave " ]
  [ -z "$(calls ssh-agent)" ]
}

@test "a key file under ~/ is expanded where terraform runs" {
  HOME=/home/ci ETCD_SSH_KEY_FILE='~/.ssh/id_ed25519' run bash "$STEP"
  [ "$status" -eq 0 ]
  argv | grep -qx -- '/home/ci/.ssh/id_ed25519'
}

@test "TF_VAR_ssh_private_key: loaded into an agent of its own (stdin, not a file or argument), the agent gone afterwards" {
  key=$'-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----'
  TF_VAR_ssh_private_key="$key" run bash "$STEP"
  [ "$status" -eq 0 ]
  [ "$(cat "$SANDBOX/calls/ssh-add-stdin")" = "$key" ]
  [ "$(calls ssh-add)" = "-q -" ]
  ! argv | grep -qx -- '-i'
  ! grep -rq 'PRIVATE KEY' "$SANDBOX/calls/ssh-argv-0" "$SANDBOX/calls/ssh-agent"
  # The private agent (the stub's sleep) was killed on exit.
  pid="$(cat "$SANDBOX/agent-pid")"
  for _ in 1 2 3 4 5 6 7 8 9 10; do
    state="$(awk '/^State:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)"
    if [ -z "$state" ] || [ "$state" = Z ]; then break; fi
    sleep 0.1
  done
  [ -z "$state" ] || [ "$state" = Z ]
}

@test "neither key file, nor TF_VAR_ssh_private_key, nor an agent: says what to set" {
  run bash "$STEP"
  [ "$status" -eq 1 ]
  [[ "$output" == *"no SSH key for 10.0.0.2: set ssh.privateKeyFile, or TF_VAR_ssh_private_key, or run an SSH agent (SSH_AUTH_SOCK)"* ]]
  [ -z "$(calls ssh)" ]
}

@test "the caller's agent is used as it is" {
  SSH_AUTH_SOCK=/run/agent.sock run bash "$STEP"
  [ "$status" -eq 0 ]
  [ -z "$(calls ssh-agent)" ]
  ! argv | grep -qx -- '-i'
}

@test "a pinned host key is checked strictly under an alias; without one, whoever answers is accepted" {
  ETCD_SSH_KEY_FILE=/k ETCD_SSH_HOST_KEY='ecdsa-sha2-nistp256 AAAAE2Vj' run bash "$STEP"
  [ "$status" -eq 0 ]
  argv | grep -qx -- 'HostKeyAlias=etcd-member'
  argv | grep -qx -- 'StrictHostKeyChecking=yes'
  [ "$(cat "$SANDBOX/calls/known_hosts")" = "etcd-member ecdsa-sha2-nistp256 AAAAE2Vj" ]
  rm -f "$SANDBOX"/calls/ssh-argv-*
  ETCD_SSH_KEY_FILE=/k run bash "$STEP"
  argv | grep -qx -- 'StrictHostKeyChecking=no'
  argv | grep -qx -- 'UserKnownHostsFile=/dev/null'
}

@test "a bastion: a ProxyCommand to it with its own port, user, key and pinned host key" {
  ETCD_SSH_KEY_FILE=/k ETCD_SSH_HOST_KEY='ecdsa-sha2-nistp256 AAAAE2Vj' ETCD_SSH_BASTION_HOST=203.0.113.5 ETCD_SSH_BASTION_USER=jump \
    ETCD_SSH_BASTION_PORT=2200 ETCD_SSH_BASTION_KEY_FILE=/bk ETCD_SSH_BASTION_HOST_KEY='ssh-ed25519 AAAAC3' run bash "$STEP"
  [ "$status" -eq 0 ]
  proxy="$(argv | grep '^ProxyCommand=')"
  [[ "$proxy" == *"-i /bk"* ]]
  [[ "$proxy" == *"-p 2200 -l jump -W %h:%p 203.0.113.5"* ]]
  [[ "$proxy" == *"HostKeyAlias=etcd-bastion"* ]]
  [[ "$proxy" == *"StrictHostKeyChecking=yes"* ]]
  grep -qx 'etcd-member ecdsa-sha2-nistp256 AAAAE2Vj' "$SANDBOX/calls/known_hosts"
  grep -qx 'etcd-bastion ssh-ed25519 AAAAC3' "$SANDBOX/calls/known_hosts"
}

@test "the command's own failure is passed on as it is, without retrying" {
  echo 3 >"$SANDBOX/ssh-status"
  ETCD_SSH_KEY_FILE=/k run bash "$STEP"
  [ "$status" -eq 3 ]
  [ "$(ls "$SANDBOX/calls" | grep -c '^ssh-argv')" = 1 ]
}

@test "no connection: retried until the timeout, then a message naming the host" {
  echo 255 >"$SANDBOX/ssh-status"
  echo 'ssh: connect to host 10.0.0.2 port 2222: Connection refused' >"$SANDBOX/ssh-stderr"
  ETCD_SSH_KEY_FILE=/k ETCD_SSH_TIMEOUT=3s run bash "$STEP"
  [ "$status" -eq 1 ]
  [[ "$output" == *"cannot reach ubuntu@10.0.0.2:2222 over SSH (gave up after 3s)"* ]]
  [ "$(ls "$SANDBOX/calls" | grep -c '^ssh-argv')" -ge 2 ]
}

@test "a wrong host key or a refused login fails at once: waiting does not heal it" {
  echo 255 >"$SANDBOX/ssh-status"
  echo 'Host key verification failed.' >"$SANDBOX/ssh-stderr"
  ETCD_SSH_KEY_FILE=/k ETCD_SSH_TIMEOUT=1m run bash "$STEP"
  [ "$status" -eq 1 ]
  [[ "$output" == *"SSH to ubuntu@10.0.0.2:2222 refused (host key or login)"* ]]
  [ "$(ls "$SANDBOX/calls" | grep -c '^ssh-argv')" = 1 ]
}
