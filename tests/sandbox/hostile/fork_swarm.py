"""A fork swarm: `count` children that each become a long `sleep`, marked in their environment."""

import json
import os

HERE = os.path.dirname(os.path.abspath(__file__))


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        with open(os.path.join(HERE, "params.json")) as f:
            params = json.load(f)
        sleep = "/bin/sleep" if os.path.exists("/bin/sleep") else "/usr/bin/sleep"
        env = {"GRADER_TEST_MARK": params["marker"]}
        started = 0
        for _ in range(params["count"]):
            try:
                pid = os.fork()
            except OSError:
                break  # the process limit
            if pid == 0:
                try:
                    os.execve(sleep, ["sleep", str(params["seconds"])], env)
                finally:
                    os._exit(0)
            started += 1
        return started
