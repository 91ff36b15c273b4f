"""Shared by the hostile tests: the host-side facts the Swift test wrote into the workspace."""
import json
import os


def config():
    with open(os.path.join(os.getcwd(), "hostile_config.json"), encoding="utf-8") as f:
        return json.load(f)
