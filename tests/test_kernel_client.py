"""The report kernels' client (csworkbench.reporting._kernel_client): jupyter_client's hand-shake
without its fixed 0.2-second IOPub wait — it stops at the idle status of its own request, asks
again while IOPub is silent, and still says when the kernel died or never answered."""

from __future__ import annotations

import asyncio
import subprocess
from queue import Empty

import pytest

from csworkbench.reporting._kernel_client import ReportKernelClient, client_class_name

_SILENT = object()  # a wait that ends without a message


class _Channel:
    """A channel whose messages are given in advance; Empty at :data:`_SILENT` and when none is
    left (no real waiting)."""

    def __init__(self, messages=()):
        self.messages = list(messages)
        self.timeouts: list[float] = []

    def get_msg(self, timeout=None):
        self.timeouts.append(timeout)
        if not self.messages:
            raise Empty
        item = self.messages.pop(0)
        if item is _SILENT:
            raise Empty
        return item


class _FakeClient(ReportKernelClient):
    """Shell and IOPub replaced by :class:`_Channel` s; request ids ``k1``, ``k2``…"""

    shell = _Channel()
    iopub = _Channel()
    alive = True
    requests: list[str] = []

    @property
    def shell_channel(self):  # type: ignore[override]
        return self.shell

    @property
    def iopub_channel(self):  # type: ignore[override]
        return self.iopub

    def kernel_info(self):
        self.requests.append(f"k{len(self.requests) + 1}")
        return self.requests[-1]

    async def _async_is_alive(self):
        return self.alive


def _reply(parent):
    return {
        "msg_type": "kernel_info_reply",
        "parent_header": {"msg_id": parent},
        "content": {"protocol_version": "5.3"},
    }


def _status(state, parent):
    return {"msg_type": "status", "parent_header": {"msg_id": parent}, "content": {"execution_state": state}}


def _client(shell, iopub, alive=True) -> _FakeClient:
    client = _FakeClient()
    client.shell, client.iopub, client.alive, client.requests = _Channel(shell), _Channel(iopub), alive, []
    return client


def test_ready_at_the_idle_status_of_its_own_request_not_after_silence():
    later = {"msg_type": "stream", "parent_header": {"msg_id": "other"}, "content": {"text": "kept"}}
    client = _client(
        shell=[_reply("k1")],
        iopub=[_status("starting", ""), _status("busy", "k1"), _status("idle", "k1"), later],
    )
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.requests == ["k1"]
    assert client.iopub.messages == [later]  # not read: no waiting for 0.2 s of silence
    assert client.iopub.timeouts == [0.2, 0.2, 0.2]


def test_silent_iopub_means_not_connected_yet_so_it_asks_again():
    """As jupyter_client: a reply on shell but nothing on IOPub within 0.2 s → another request."""
    client = _client(shell=[_reply("k1"), _reply("k2")], iopub=[_SILENT, _status("busy", "k2"), _status("idle", "k2")])
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.requests == ["k1", "k2"]


def test_a_late_reply_to_an_earlier_request_is_not_taken_for_the_answer():
    client = _client(shell=[_reply("k0"), _reply("k2")], iopub=[_status("busy", "k2"), _status("idle", "k2")])
    asyncio.run(client.wait_for_ready(timeout=5))
    assert client.requests == ["k1", "k2"]


def test_a_dead_kernel_and_a_silent_one_raise_as_jupyter_client_does():
    with pytest.raises(RuntimeError, match="died before replying"):
        asyncio.run(_client(shell=[], iopub=[], alive=False).wait_for_ready(timeout=5))
    with pytest.raises(RuntimeError, match="didn't respond in 0 seconds"):
        asyncio.run(_client(shell=[], iopub=[]).wait_for_ready(timeout=0))


def test_a_real_kernel_answers_through_the_report_client():
    from jupyter_client.manager import AsyncKernelManager

    async def run() -> str:
        km = AsyncKernelManager(kernel_name="python3", client_class=client_class_name())
        await km.start_kernel(stderr=subprocess.DEVNULL)
        kc = km.client()
        try:
            assert isinstance(kc, ReportKernelClient)
            kc.start_channels()
            await kc.wait_for_ready(timeout=60)
            msg_id = kc.execute("print(6 * 7)")
            text = ""
            while True:
                msg = await kc.get_iopub_msg(timeout=30)
                if msg["parent_header"].get("msg_id") != msg_id:
                    continue
                if msg["msg_type"] == "stream":
                    text += msg["content"]["text"]
                if msg["msg_type"] == "status" and msg["content"]["execution_state"] == "idle":
                    return text
        finally:
            kc.stop_channels()
            await km.shutdown_kernel(now=True)

    assert asyncio.run(run()).strip() == "42"
