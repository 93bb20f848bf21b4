"""The deployment files (Compose/compose.yaml, Compose/k8s/*.yaml) checked without a
container engine, which CI does not have:

- each file against its schema: the Compose specification's JSON schema (as shipped
  in docker-compose 1.29.2's wheel) and Kubernetes 1.30's (kubernetes-validate, strict);
- that they agree with the suite: every command names one of its executables with
  flags that executable takes; probes call `irg health` on the port the service
  listens on; Services select their Deployments; the autoscaler targets the generators;
- and the compose commands themselves, run as processes on loopback (hosts mapped to
  127.0.0.1, ports moved by +1000), become healthy and make a motion from text.
"""
import importlib.util
import json
import os
import re
import shutil
import subprocess
import tempfile
import time

import jsonschema
import kubernetes_validate
import pytest
import yaml

from conftest import REPO, bin_dir

COMPOSE = os.path.join(REPO, "Compose", "compose.yaml")
K8S = os.path.join(REPO, "Compose", "k8s")
EXECUTABLES = {"irg-tokenizer", "irg-generator", "irg-assessor", "irg-evaluator", "irg-orchestrator"}


def compose_file():
    with open(COMPOSE) as f:
        return yaml.safe_load(f)


def k8s_documents():
    docs = []
    for name in sorted(os.listdir(K8S)):
        with open(os.path.join(K8S, name)) as f:
            docs += [(name, d) for d in yaml.safe_load_all(f) if d]
    return docs


def help_text(executable, cache={}):
    if executable not in cache:
        path = os.path.join(bin_dir(), executable)
        if not os.path.exists(path):
            pytest.fail(f"{path} not found: run `swift build` first or set IRG_BIN_DIR")
        cache[executable] = subprocess.run([path, "--help"], capture_output=True, text=True).stdout
    return cache[executable]


def check_command(command, where):
    assert command[0] in EXECUTABLES, f"{where}: {command[0]} is not one of the suite's executables"
    text = help_text(command[0])
    for flag in (a for a in command[1:] if a.startswith("--")):
        assert re.search(re.escape(flag) + r"\b", text), f"{where}: {command[0]} takes no {flag}"


def listen_port(command):
    for flag, value in zip(command, command[1:]):
        if flag == "--listen":
            return int(value.rsplit(":", 1)[1])
    return None


def test_compose_file_follows_the_compose_specification():
    spec = importlib.util.find_spec("compose")
    if spec is None:
        pytest.skip("docker-compose's wheel (for its compose_spec.json) is not installed: Scripts/setup.sh installs it")
    with open(os.path.join(spec.submodule_search_locations[0], "config", "compose_spec.json")) as f:
        schema = json.load(f)
    jsonschema.validate(compose_file(), schema)


def test_compose_services_run_the_suites_commands_with_probes_on_their_ports():
    services = compose_file()["services"]
    assert set(services) == {"tokenizer", "generator", "assessor", "evaluator", "orchestrator"}
    for name, service in services.items():
        check_command(service["command"], f"compose {name}")
        probe = service["healthcheck"]["test"]
        assert probe[:2] == ["CMD", "irg"] and probe[2] == "health"
        assert probe[3].endswith(f":{listen_port(service['command'])}"), f"compose {name}: the probe asks another port"
    assert services["generator"]["deploy"]["replicas"] >= 2
    assert "--generator-pool" in services["orchestrator"]["command"]


def test_kubernetes_manifests_follow_kubernetes_schemas():
    docs = k8s_documents()
    assert {d["kind"] for _, d in docs} == {"Deployment", "Service", "PersistentVolumeClaim", "HorizontalPodAutoscaler"}
    for name, doc in docs:
        kubernetes_validate.validate(doc, "1.30.0", strict=True)


def test_kubernetes_manifests_agree_with_the_suite():
    docs = k8s_documents()
    deployments = {d["metadata"]["name"]: d for _, d in docs if d["kind"] == "Deployment"}
    assert set(deployments) == {f"irg-{n}" for n in ("tokenizer", "generator", "assessor", "evaluator", "orchestrator")}
    for name, deployment in deployments.items():
        container = deployment["spec"]["template"]["spec"]["containers"][0]
        check_command(container["command"], name)
        probe = container["readinessProbe"]["exec"]["command"]
        assert probe[:2] == ["irg", "health"] and probe[2].endswith(f":{listen_port(container['command'])}"), name
        labels = deployment["spec"]["template"]["metadata"]["labels"]
        assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items(), name
    for _, service in (x for x in docs if x[1]["kind"] == "Service"):
        selected = [n for n, d in deployments.items()
                    if service["spec"]["selector"].items() <= d["spec"]["template"]["metadata"]["labels"].items()]
        assert selected == [service["metadata"]["name"]], f"Service {service['metadata']['name']} selects {selected}"
    (hpa,) = [d for _, d in docs if d["kind"] == "HorizontalPodAutoscaler"]
    assert hpa["spec"]["scaleTargetRef"] == {"apiVersion": "apps/v1", "kind": "Deployment", "name": "irg-generator"}
    # Every service the others dial is a Service of the suite.
    services = {d["metadata"]["name"]: {p["port"] for p in d["spec"]["ports"]} for _, d in docs if d["kind"] == "Service"}
    for name, deployment in deployments.items():
        command = deployment["spec"]["template"]["spec"]["containers"][0]["command"]
        for host, port in re.findall(r"tcp://([a-z-]+):(\d+)", " ".join(command)):
            assert int(port) in services.get(host, set()), f"{name} dials {host}:{port}, which no Service offers"


def local(argument, sessions):
    """A compose argument on this machine: hosts to loopback, ports +1000, the sessions file in a temp folder."""
    argument = re.sub(r"tcp://(tokenizer|generator|assessor|evaluator|orchestrator|0\.0\.0\.0):", "tcp://127.0.0.1:", argument)
    argument = re.sub(r"(tcp://127\.0\.0\.1):(\d+)", lambda m: f"{m.group(1)}:{int(m.group(2)) + 1000}", argument)
    return sessions if argument.endswith("sessions.sqlite") else argument


def test_the_compose_commands_start_the_suite_and_make_a_motion():
    folder = tempfile.mkdtemp(prefix="irg-compose-")
    sessions = os.path.join(folder, "sessions.sqlite")
    services = compose_file()["services"]
    processes, probes = [], []
    try:
        for name in ("tokenizer", "assessor", "evaluator", "orchestrator", "generator"):
            service = services[name]
            replicas = service.get("deploy", {}).get("replicas", 1)
            for replica in range(replicas):
                command = [local(a, sessions) for a in service["command"]]
                if replica > 0:  # each container has its own loopback; processes here share one
                    command = [re.sub(r":(\d+)$", lambda m: f":{int(m.group(1)) + 10 * replica}", a)
                               if a.startswith("tcp://127.0.0.1") and command[command.index(a) - 1] == "--listen" else a
                               for a in command]
                processes.append(subprocess.Popen([os.path.join(bin_dir(), command[0]), *command[1:], "--log-level", "warning"]))
                probe = [local(a, sessions) for a in service["healthcheck"]["test"][1:]]
                probe[2] = f"tcp://127.0.0.1:{listen_port(command)}"
                probes.append(probe)
        irg = os.path.join(bin_dir(), "irg")
        deadline = time.time() + 120
        for probe in probes:
            while subprocess.run([irg, *probe[1:]], capture_output=True).returncode != 0:
                assert time.time() < deadline, f"{probe} never answered SERVING"
                time.sleep(0.5)
        out = os.path.join(folder, "motion")
        made = subprocess.run([irg, "generate", "a person walks forward", "--orchestrator", "tcp://127.0.0.1:8105",
                               "--rounds", "1", "--seed", "1", "--out", out], capture_output=True, text=True, timeout=300)
        assert made.returncode == 0, made.stderr
        assert os.path.exists(os.path.join(out, "motion.gif")) and os.path.exists(sessions)
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            assert process.wait(timeout=40) == 0
        shutil.rmtree(folder, ignore_errors=True)
