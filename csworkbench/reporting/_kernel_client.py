"""The report kernels' client: jupyter_client's, less a fixed 0.2-second wait per kernel start.

jupyter_client's ``wait_for_ready`` (8.x) sends ``kernel_info_request`` until the reply comes and
an IOPub message shows that IOPub is connected — then "flushes" IOPub by reading until **0.2 s
pass without a message**.  That last step always ends in a 0.2-second timeout: measured in a
batch run, 0.20 of the 0.28 s from a forked kernel's start to its first cell (8 reports: 1.6 s of
worker time doing nothing).

:class:`ReportKernelClient` does the same hand-shake and the same connectivity check, and drains
IOPub up to the ``idle`` status of its own ``kernel_info_request`` — the last message the
hand-shake causes — instead of waiting for silence.  Anything older left on IOPub (the kernel's
``starting`` status) carries another parent id, and nbclient reads only the messages of the
request it sent, as it always does.  Replies from an earlier ``kernel_info_request`` that timed
out are skipped the same way.  jupyter_client has no option for the flush timeout, hence this
subclass (selected with ``client_class`` on the kernel manager, see :mod:`.worker`).
"""

from __future__ import annotations

import time
from queue import Empty

from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.utils import ensure_async

__all__ = ["ReportKernelClient"]

#: As jupyter_client: how long to wait for a reply, and for IOPub to show it is connected.
SHELL_WAIT_S = 1.0
IOPUB_WAIT_S = 0.2


class ReportKernelClient(AsyncKernelClient):
    """:class:`~jupyter_client.asynchronous.AsyncKernelClient` whose ``wait_for_ready`` ends
    as soon as the kernel has answered on shell and on IOPub (see the module docstring)."""

    async def _csw_iopub_caught_up(self, request_id: str) -> bool:
        """Read IOPub until the ``idle`` status of ``request_id``; False if IOPub stayed silent
        for :data:`IOPUB_WAIT_S` (not connected yet: jupyter_client then asks again)."""
        seen = False
        while True:
            try:
                msg = await ensure_async(self.iopub_channel.get_msg(timeout=IOPUB_WAIT_S))
            except Empty:
                return seen
            seen = True
            if (
                msg.get("msg_type") == "status"
                and msg.get("content", {}).get("execution_state") == "idle"
                and msg.get("parent_header", {}).get("msg_id") == request_id
            ):
                return True

    async def _async_wait_for_ready(self, timeout: float | None = None) -> None:
        """Wait until the kernel replies to ``kernel_info_request`` on shell and on IOPub.

        Raises ``RuntimeError`` when the kernel dies first or does not answer within ``timeout``
        seconds, as jupyter_client's does.
        """
        deadline = time.time() + (float("inf") if timeout is None else timeout)
        while True:
            request_id = self.kernel_info()
            try:
                msg = await ensure_async(self.shell_channel.get_msg(timeout=SHELL_WAIT_S))
            except Empty:
                pass
            else:
                answered = msg.get("parent_header", {}).get("msg_id") == request_id
                if msg["msg_type"] == "kernel_info_reply" and answered:
                    if await self._csw_iopub_caught_up(request_id):
                        self._handle_kernel_info_reply(msg)
                        return
            if not await self._async_is_alive():
                raise RuntimeError("Kernel died before replying to kernel_info")
            if time.time() > deadline:
                raise RuntimeError(f"Kernel didn't respond in {timeout:g} seconds")

    wait_for_ready = _async_wait_for_ready


def client_class_name() -> str:
    """The dotted name to give a kernel manager's ``client_class``."""
    return f"{__name__}.{ReportKernelClient.__name__}"
