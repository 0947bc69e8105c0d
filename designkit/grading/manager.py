"""Kernel managers for grading: which provisioner launches the kernel, its limits, a capped client.

nbgrader's ``Execute.kernel_manager_class`` takes one of these (``sandbox_config()`` sets it):

- :class:`GuardedKernelManager` (``--no-sandbox``): limits and guard, no bubblewrap;
- :class:`SandboxKernelManager`: a cold bubblewrap sandbox per notebook;
- :class:`ForkServerKernelManager` (the default): the kernel forked from a warm sandboxed server.

They differ only in ``provisioner_class`` (jupyter_client's public provisioner API does the launching;
:mod:`designkit.grading.provisioner`); the limits are configurable on any of them
(``c.GuardedKernelManager.memory = 1024**3``). Nothing private of jupyter_client is overridden here.

>>> ForkServerKernelManager().provisioner_class.__name__
'ForkProvisioner'
"""
from __future__ import annotations

import os
import uuid
from typing import Any

import zmq
import zmq.asyncio
from jupyter_client.asynchronous import AsyncKernelClient
from jupyter_client.manager import AsyncKernelManager
from jupyter_client.provisioning import KernelProvisionerBase
from traitlets import Integer, List, Type, Unicode, default

from .hooks import quick_wait_for_ready
from .spec import Limits

MAX_MESSAGE_BYTES = 16 * 1024 * 1024
_CONTEXT: dict[int, zmq.asyncio.Context] = {}


def capped_context() -> zmq.asyncio.Context:
    """This process's ZeroMQ context whose sockets refuse messages over :data:`MAX_MESSAGE_BYTES`."""
    context = _CONTEXT.get(os.getpid())
    if context is None:
        context = zmq.asyncio.Context()
        context.setsockopt(zmq.MAXMSGSIZE, MAX_MESSAGE_BYTES)
        _CONTEXT.clear()
        _CONTEXT[os.getpid()] = context
    return context


class CappedKernelClient(AsyncKernelClient):
    """A kernel client whose sockets refuse messages over :data:`MAX_MESSAGE_BYTES` and that does not wait
    0.2 s for silence once the kernel is ready (:func:`designkit.grading.hooks.quick_wait_for_ready`)."""

    @default("context")
    def capped_context_default(self) -> zmq.asyncio.Context:
        return capped_context()

    wait_for_ready = quick_wait_for_ready


class GuardedKernelManager(AsyncKernelManager):
    """A kernel started through :mod:`designkit.grading.kernel`: limits and guard, no sandbox."""

    memory = Integer(2 * 1024**3, help="address-space limit of the kernel, bytes").tag(config=True)
    cpu_seconds = Integer(300, help="CPU-time limit of the kernel, seconds").tag(config=True)
    processes = Integer(64, help="processes and threads of the kernel (its own uid, or a pids cgroup)"
                        ).tag(config=True)
    threads = Integer(1, help="threads numerical libraries may use (OMP/OPENBLAS/MKL/NUMEXPR_NUM_THREADS)"
                      ).tag(config=True)
    file_size = Integer(64 * 1024**2, help="largest file the kernel may write, bytes").tag(config=True)
    open_files = Integer(256, help="open files of the kernel").tag(config=True)
    tmp_size = Integer(64 * 1024**2, help="size of a sandboxed kernel's private /tmp, bytes").tag(config=True)
    extra_read_only = List(Unicode(), help="more host folders a sandboxed kernel may read").tag(config=True)
    preload = Unicode("designkit.checks",
                      help="comma-separated modules imported before student code (guarded from then on)"
                      ).tag(config=True)
    provisioner_class = Type("designkit.grading.provisioner.GuardedProvisioner", klass=KernelProvisionerBase,
                             help="the jupyter_client provisioner that launches the kernel").tag(config=True)

    launched_by: Any = None

    @default("client_class")
    def capped_client_class_default(self) -> str:
        return "designkit.grading.manager.CappedKernelClient"

    @default("client_factory")
    def capped_client_factory_default(self) -> type:
        return CappedKernelClient

    def limits(self) -> Limits:
        """This manager's limits as the spec's :class:`~designkit.grading.spec.Limits`."""
        return Limits(memory=self.memory, cpu_seconds=self.cpu_seconds, processes=self.processes,
                      file_size=self.file_size, open_files=self.open_files, tmp_size=self.tmp_size,
                      threads=self.threads)

    async def start_kernel(self, **kw: Any) -> None:
        """Start the kernel through :attr:`provisioner_class` (jupyter_client keeps a provisioner that is
        already set, and creates the default one only when none is)."""
        if self.provisioner is None:
            self.kernel_id = self.kernel_id or kw.pop("kernel_id", None) or str(uuid.uuid4())
            self.provisioner = self.provisioner_class(kernel_id=self.kernel_id, kernel_spec=self.kernel_spec,
                                                      parent=self)
        self.launched_by = self.provisioner  # jupyter_client drops its reference at shutdown; errors need it
        await super().start_kernel(**kw)

    @property
    def guard_secret(self) -> bytes:
        """The per-kernel key the guard signs its answers with (empty before start)."""
        return getattr(self.provisioner or self.launched_by, "guard_secret", b"")

    @property
    def sandbox_spec(self) -> Any:
        """The :class:`~designkit.grading.spec.SandboxSpec` this kernel was launched with (None before)."""
        return getattr(self.provisioner or self.launched_by, "spec", None)

    def kernel_log(self) -> str:
        """The last lines the kernel wrote to stderr (for error messages)."""
        tail = getattr(self.provisioner or self.launched_by, "log_tail", None)
        return tail() if tail else ""


class SandboxKernelManager(GuardedKernelManager):
    """A cold kernel in a bubblewrap sandbox per notebook."""

    provisioner_class = Type("designkit.grading.provisioner.SandboxProvisioner", klass=KernelProvisionerBase,
                             help="the jupyter_client provisioner that launches the kernel").tag(config=True)


class ForkServerKernelManager(SandboxKernelManager):
    """A fresh sandboxed kernel per notebook, forked from a warm server (:mod:`designkit.grading.forkserver`)."""

    provisioner_class = Type("designkit.grading.provisioner.ForkProvisioner", klass=KernelProvisionerBase,
                             help="the jupyter_client provisioner that launches the kernel").tag(config=True)
