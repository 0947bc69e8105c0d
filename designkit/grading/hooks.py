"""The only place where the grading engine depends on jupyter_client/nbclient internals.

Everything else in :mod:`designkit.grading` uses public APIs: kernel provisioners for launching,
``KernelManager.start_kernel``/``client()``, nbclient's ``async_execute_cell``/``output``/
``async_start_new_kernel``. Each entry of :data:`HOOKS` names one internal we rely on, why, and the
versions it was tested on; ``tests/test_grading_imports.py`` fails when one of them changes (a
different signature, a different source, or gone), and fails when a private jupyter_client or
nbclient method is overridden anywhere else in the package.

>>> sorted(HOOKS)[0]
'jupyter_client.client.KernelClient._async_is_alive'
"""
from __future__ import annotations

import time
from queue import Empty
from typing import Any

TESTED_ON = {"jupyter_client": "8.10.0", "nbclient": "0.11.0"}

# name -> (what we do with it, the signature we rely on, sha256 of its source when we copied it or None)
HOOKS: dict[str, tuple[str, str, str | None]] = {
    "jupyter_client.client.KernelClient._async_wait_for_ready": (
        "copied into quick_wait_for_ready() without its final 0.2 s wait for IOPub to fall silent",
        "(self, timeout: float | None = None) -> None",
        "0d732ad86fea311502a6bfc53d8b1be6055f3813ec4f13ef717f8adbbd37ec56"),
    "jupyter_client.client.KernelClient._handle_kernel_info_reply": (
        "called by quick_wait_for_ready(), as the original does", "(self, msg: Dict[str, Any]) -> None",
        None),
    "jupyter_client.client.KernelClient._async_is_alive": (
        "called by quick_wait_for_ready(), as the original does", "(self) -> bool", None),
}


async def quick_wait_for_ready(self: Any, timeout: float | None = None) -> None:
    """jupyter_client's readiness check (kernel_info answered, IOPub connected), without its final 0.2 s of
    waiting for IOPub to fall silent: start-up messages left over are not a cell's, and nbclient ignores
    messages that do not answer its own requests. Used as ``CappedKernelClient.wait_for_ready`` (a public
    name): 0.2 s is about a fifth of a forked kernel's whole life."""
    deadline = time.monotonic() + (timeout if timeout is not None else float("inf"))
    while True:
        self.kernel_info()
        try:
            msg = await self.shell_channel.get_msg(timeout=1)
        except Empty:
            msg = None
        if msg is not None and msg["msg_type"] == "kernel_info_reply":
            try:
                await self.iopub_channel.get_msg(timeout=0.2)
            except Empty:
                pass
            else:
                self._handle_kernel_info_reply(msg)
                break
        if not await self._async_is_alive():
            raise RuntimeError("Kernel died before replying to kernel_info")
        if time.monotonic() > deadline:
            raise RuntimeError(f"Kernel didn't respond in {timeout:.0f} seconds")
    while True:  # drain what is already queued
        try:
            await self.iopub_channel.get_msg(timeout=0.01)
        except Empty:
            break
