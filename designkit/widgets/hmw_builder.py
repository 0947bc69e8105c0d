"""HowMightWeBuilder: a point of view (user, need, insight), then a How Might We question built from it,
with broader and narrower variants one click away.

``.model`` is the :class:`~designkit.framing.HowMightWe`; ``.pov`` the :class:`~designkit.framing.PointOfView`.

>>> b = HowMightWeBuilder()
>>> b.user.value = "a mother in rural Monze whose baby was tested for HIV"
>>> b.need.value = "to know her baby's result while treatment can still help"
>>> b.insight.value = "the result takes weeks to reach the clinic and each trip costs her a day's work"
>>> b.draft_from_pov(); b.model.text
"How might we help a mother in rural Monze whose baby was tested for HIV to know her baby's result while treatment can still help?"
>>> b.use_broader(); b.model.text == b.suggestions()[0] or b.model.text.startswith("How might we")
True
"""
from __future__ import annotations

import html
import os
import re
from pathlib import Path

import ipywidgets as W

from designkit.framing import FramingError, HowMightWe, PointOfView
from designkit.framing import load as load_model
from designkit.framing import save as save_model
from designkit.i18n import N_, _, lang
from designkit.plots.palette import INK, MUTED, OKABE_ITO
from designkit.widgets.editor import EditorFileError, ModelEditor, labelled
from designkit.widgets.feedback_view import feedback_html, summary


class HowMightWeBuilder(ModelEditor):
    """Build a :class:`~designkit.framing.HowMightWe` from a :class:`~designkit.framing.PointOfView`."""

    model_class = HowMightWe
    title = N_("Point of view → How might we")
    help = (N_("Write who the user is, what they need (a verb, not a solution) and why (your "
              "insight). Then turn it into a question that starts with “How might we”. Try the broader "
              "and narrower versions."))
    default_file = "how-might-we.json"

    def __init__(self, model: HowMightWe | None = None, pov: PointOfView | None = None) -> None:
        self._pov = pov if pov is not None else PointOfView("", "", "")
        self._pov_feedback: list = []
        super().__init__(model)
        self._put_pov(self._pov)

    def empty_model(self) -> HowMightWe:
        return HowMightWe("")

    def _build_controls(self) -> W.Widget:
        wide = W.Layout(width="100%")
        style = {"description_width": "60px"}
        self.user = W.Text(placeholder=_("a specific person or group"), description=_("User"), style=style, layout=wide)
        self.need = W.Text(placeholder=_("needs to … (a verb)"), description=_("Needs"), style=style, layout=wide)
        self.insight = W.Textarea(placeholder=_("because … (what you learnt from people)"), description=_("Because"),
                                  style=style, layout=W.Layout(width="100%", height="4em"))
        self.statement = W.HTML()
        self.draft_button = W.Button(description=_("Draft a question from the point of view"), icon="magic",
                                     layout=W.Layout(width="auto"))
        self.draft_button.on_click(lambda _b: self.draft_from_pov())
        self.text = labelled(W.Textarea(placeholder=_("How might we …?"), layout=W.Layout(width="100%", height="5.5em")),
                             _("How might we …?"))
        self.broader_view = W.HTML()
        self.narrower_view = W.HTML()
        self.broader_button = W.Button(description=_("Use broader"), icon="expand",
                                       layout=W.Layout(width="auto", min_width="140px"))
        self.narrower_button = W.Button(description=_("Use narrower"), icon="compress",
                                        layout=W.Layout(width="auto", min_width="140px"))
        self.broader_button.on_click(lambda _b: self.use_broader())
        self.narrower_button.on_click(lambda _b: self.use_narrower())
        for w in (self.user, self.need, self.insight):
            w.observe(self._pov_changed, names="value")
        self.text.observe(self._changed, names="value")
        return W.VBox([W.HTML("<b>" + html.escape(_("Point of view")) + "</b>"), self.user, self.need, self.insight, self.statement,
                       self.draft_button, self.text,
                       W.HBox([self.broader_button, self.broader_view], layout=W.Layout(align_items="center")),
                       W.HBox([self.narrower_button, self.narrower_view], layout=W.Layout(align_items="center"))])

    # ---- the two models --------------------------------------------------------------------------
    @property
    def pov(self) -> PointOfView:
        """The current point of view."""
        return self._pov

    @pov.setter
    def pov(self, pov: PointOfView) -> None:
        self._put_pov(pov)

    def _put_pov(self, pov: PointOfView) -> None:
        pov.check()
        self._updating = True
        try:
            self.user.value, self.need.value, self.insight.value = pov.user, pov.need, pov.insight
        finally:
            self._updating = False
        self._pov = pov
        self.refresh()

    def _pov_changed(self, _change=None) -> None:
        if self._updating:
            return
        self._pov = PointOfView(self.user.value.strip(), self.need.value.strip(), self.insight.value.strip())
        self.refresh()

    def _write(self, model: HowMightWe) -> None:
        self.text.value = model.text

    def _read(self) -> HowMightWe:
        return HowMightWe(" ".join(self.text.value.split()))

    # ---- actions ---------------------------------------------------------------------------------
    def suggestions(self) -> tuple[str, str]:
        """(broader, narrower) variants of the current question."""
        return self._model.broader(), self._model.narrower()

    def draft_from_pov(self) -> None:
        """Replace the question with a first draft made from the point of view."""
        user = self._pov.user.strip().rstrip(".。") or _("[who]")
        need = re.sub(r"^(needs?\s+|需要)", "", self._pov.need.strip().rstrip(".。"), flags=re.IGNORECASE) or _("[do what]")
        if lang() == "en" and not need.lower().startswith("to ") and not need.startswith("["):
            need = "to " + need
        self.text.value = _("How might we help {user} {need}?", user=user, need=need)

    def use_broader(self) -> None:
        """Replace the question with its broader variant."""
        self.text.value = self._model.broader()

    def use_narrower(self) -> None:
        """Replace the question with its narrower variant (fill in the [bracketed] slots)."""
        self.text.value = self._model.narrower()

    # ---- feedback and view -----------------------------------------------------------------------
    @property
    def feedback(self) -> list:
        """Feedback on the point of view, then on the question."""
        return self._pov_feedback + list(self._feedback)

    def refresh(self) -> None:
        if not hasattr(self, "_pov"):
            return
        pov_name = _("point of view")
        self._pov_feedback = [type(f)(f.level, f.code, f.message, f"{pov_name}: {f.where}" if f.where else pov_name)
                              for f in self._pov.validate()]
        self._feedback = self._model.validate() if self._error is None else []
        everything = self.feedback
        self.feedback_view.value = feedback_html(everything, self._error,
                                                 title=_("Feedback: {summary}", summary=summary(everything)),
                                                 label=_("{title}: feedback", title=_(self.title)))
        has_pov = any((self._pov.user, self._pov.need, self._pov.insight))
        self.statement.value = (f"<div style='color:{INK};margin:4px 0'><i>{html.escape(self._pov.statement())}</i></div>"
                                if has_pov else "")
        broader, narrower = self.suggestions() if self._model.text.strip() else ("", "")
        self.broader_view.value = f"<span style='color:{INK}'>{html.escape(broader)}</span>"
        self.narrower_view.value = f"<span style='color:{INK}'>{html.escape(narrower)}</span>"
        self.broader_button.disabled = self.narrower_button.disabled = not self._model.text.strip()
        esc = html.escape
        figure_label, pov_label, hmw_label = (esc(_("The point of view and the question")), esc(_("Point of view")),
                                              esc(_("How might we …?")))
        self.figure_view.value = (
            f"<div role='figure' aria-label='{figure_label}' "
            f"style='border:1px solid {OKABE_ITO['orange']};"
            "border-radius:6px;padding:8px;margin-top:6px'>"
            f"<div style='color:{MUTED}'>{pov_label}</div><div>{esc(self._pov.statement()) if has_pov else '…'}"
            f"</div><div style='color:{MUTED};margin-top:6px'>{hmw_label}</div>"
            f"<div style='font-size:16px;font-weight:bold'>{html.escape(self._model.text) or '…'}</div></div>")

    # ---- files: the question, and the point of view --------------------------------------------
    def save_pov(self, path: str | os.PathLike) -> Path:
        """Save the point of view as JSON; EditorFileError naming the file if it cannot."""
        try:
            target = save_model(self._pov, path)
        except (FramingError, OSError) as err:
            raise self._fail(_("Could not save to {path}: {error}.", path=path,
                               error=getattr(err, "strerror", None) or err)) from None
        self._ok(_("Saved the point of view to {path}", path=target))
        return target

    def load(self, path: str | os.PathLike | None = None):
        """Load a saved HowMightWe (the question) or PointOfView (the fields above it) into the builder."""
        source = self._path(path)
        try:
            model = load_model(source)
            if not isinstance(model, (HowMightWe, PointOfView)):
                raise FramingError(_("{path} holds a {model}, not a HowMightWe or a PointOfView.", path=source,
                                     model=model.MODEL))
        except FramingError as err:
            raise self._fail(_("{error} Your work in the builder is unchanged.", error=err)) from None
        if isinstance(model, PointOfView):
            self._put_pov(model)
        else:
            self._put(model)
        self._ok(_("Loaded {path}", path=source))
        return model


__all__ = ["HowMightWeBuilder", "EditorFileError"]
