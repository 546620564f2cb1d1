"""Ignores SIGTERM (and its friends) and loops forever in forward."""

import signal


class Convolution:
    def __init__(self, W, b, stride=1, pad=0):
        self.W, self.b = W, b

    def forward(self, x):
        for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP, signal.SIGALRM, signal.SIGUSR1):
            signal.signal(sig, signal.SIG_IGN)
        n = 0
        while True:
            n += 1
