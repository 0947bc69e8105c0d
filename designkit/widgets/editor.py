"""The machinery every editor shares: model <-> widgets, live feedback and figure, save and load.

A subclass says which model it edits (``model_class``), builds its controls, and writes a model into
them (``_write``) and reads one back (``_read``). The base class keeps ``.model`` current on every
change, shows ``validate()`` feedback grouped by level, redraws the figure into one reused
matplotlib Figure (rendered as inline SVG; no pyplot, so nothing accumulates), and saves or loads
JSON files with messages that name the file. Nothing is lost on a failed load: the editor keeps
what it had.
"""
from __future__ import annotations

import html
import os
from pathlib import Path
from typing import Any, ClassVar

import ipywidgets as W

from designkit.framing import FramingError, FramingModel
from designkit.framing import load as load_model
from designkit.framing import save as save_model
from designkit.i18n import N_, _
from designkit.plots.palette import BAD_TEXT, GOOD_TEXT, GRID, MUTED
from designkit.widgets.feedback_view import feedback_html, summary

#: Styles for the kit's widgets: lists keep one item per line (indentation visible, no wrapping), text in
#: HTML views uses a reading line height instead of the widgets' 28 px control height, a labelled field
#: (``labelled``) shows its label above it, and the keyboard focus of a scrollable region is visible.
STYLE = W.HTML("""<style>
.designkit-editor textarea { font-size: 12px; }
.designkit-editor .designkit-labelled { flex-direction: column; align-items: stretch; height: auto; }
.designkit-editor .designkit-labelled > .widget-label { width: auto; max-width: none; text-align: left;
  font-weight: bold; margin: 4px 0 1px 0; line-height: 1.3; height: auto; }
.designkit-editor .designkit-labelled > textarea { min-height: 3em; }
.designkit-editor [tabindex="0"]:focus-visible { outline: 2px solid var(--jp-brand-color1, currentColor); }
.designkit-outline textarea { white-space: pre; overflow-x: auto; font-family: var(--jp-code-font-family, monospace); }
.designkit-editor .designkit-table { overflow-x: auto; max-height: 22em; overflow-y: auto; }
.designkit-editor .designkit-table table { font-size: 11px; border-collapse: collapse; }
.designkit-editor .widget-html-content { line-height: 1.35; }
.designkit-editor .widget-html-content ul { margin-top: 2px; }
</style>""")

_STATUS_OK = f"color:{GOOD_TEXT}"
_STATUS_BAD = f"color:{BAD_TEXT}"


def labelled(control: W.Widget, label: str) -> W.Widget:
    """Name ``control`` with ``label`` shown above it, and return it.

    The label is the control's own ``description``, which ipywidgets renders as a ``<label for=…>`` tied to
    the text box or list, so a screen reader announces it when the field gets the focus (a separate HTML
    heading would not be read). ``STYLE`` puts it above the field, in bold.

    >>> box = labelled(W.Textarea(), "Causes")
    >>> box.description, "designkit-labelled" in box._dom_classes
    ('Causes', True)
    """
    control.description = label
    control.style.description_width = "initial"
    control.add_class("designkit-labelled")
    if control.layout.height:  # the height was meant for the text box: make room for the label above it
        control.layout.height = f"calc({control.layout.height} + 1.7em)"
    return control


class EditorFileError(ValueError):
    """Saving or loading an editor's file failed; the message names the file and what to do."""


def _layout(**kw: Any) -> W.Layout:
    return W.Layout(**kw)


class ModelEditor:
    """Base of the framing-model editors (see the subclasses for examples)."""

    model_class: ClassVar[type[FramingModel]]
    title: ClassVar[str] = N_("Editor")
    help: ClassVar[str] = ""
    default_file: ClassVar[str] = "model.json"

    def __init__(self, model: FramingModel | None = None) -> None:
        if model is not None and not isinstance(model, self.model_class):
            raise TypeError(_("{editor} edits a {model}, not a {other}.", editor=type(self).__name__,
                              model=self.model_class.__name__, other=type(model).__name__))
        self._fig = None
        self._updating = False
        self._error: str | None = None
        self._feedback: list = []
        self.feedback_view = W.HTML(layout=_layout(min_height="60px"))
        self.figure_view = W.HTML(layout=_layout(width="100%"))
        self.status = W.HTML(layout=_layout(flex="1 1 auto"))
        self.file = W.Text(value=self.default_file, description=_("File"), layout=_layout(width="50%"))
        self.save_button = W.Button(description=_("Save"), icon="save", tooltip=_("Save to the JSON "
                                                                               "file named left"))
        self.load_button = W.Button(description=_("Load"), icon="folder-open", tooltip=_("Load the "
                                                                                      "JSON file named "
                                                                                      "left"))
        self.save_button.on_click(lambda _b: self._button(self.save))
        self.load_button.on_click(lambda _b: self._button(self.load))
        self.controls = self._build_controls()
        title, help_text = _(self.title), _(self.help) if self.help else ""
        header = W.HTML(f"<h3 style='margin:0 0 4px 0'>{html.escape(title)}</h3>"
                        f"<div style='color:{MUTED};font-size:12px;margin-bottom:6px'>{help_text}</div>")
        # overflow visible: a pane that scrolled would need the keyboard focus (axe: scrollable-region-focusable)
        left = W.VBox([self.controls], layout=_layout(width="46%", padding="0 12px 0 0", overflow="visible"))
        right = W.VBox([self.feedback_view, self.figure_view], layout=_layout(width="54%", overflow="visible"))
        files = W.HBox([self.file, self.save_button, self.load_button, self.status],
                       layout=_layout(align_items="center", margin="8px 0 0 0"))
        self.widget = W.VBox([STYLE, header, W.HBox([left, right]), files],
                             layout=_layout(border=f"1px solid {GRID}", padding="8px"))
        self.widget.add_class("designkit-editor")
        self._model = model if model is not None else self.empty_model()
        self._put(self._model)

    # ---- to implement in subclasses -------------------------------------------------------------
    def empty_model(self) -> FramingModel:  # pragma: no cover - overridden
        """A blank model to start from."""
        raise NotImplementedError

    def _build_controls(self) -> W.Widget:  # pragma: no cover - overridden
        raise NotImplementedError

    def _write(self, model: FramingModel) -> None:  # pragma: no cover - overridden
        """Set the controls from ``model`` (called with change handling paused)."""
        raise NotImplementedError

    def _read(self) -> FramingModel:  # pragma: no cover - overridden
        """Build a model from the controls (may raise FramingError)."""
        raise NotImplementedError

    def _draw(self, model: FramingModel) -> str:
        """HTML of the model's figure (default: none)."""
        return ""

    # ---- the model -------------------------------------------------------------------------------
    @property
    def model(self) -> FramingModel:
        """The current framing model, as the controls show it now."""
        return self._model

    @model.setter
    def model(self, model: FramingModel) -> None:
        if not isinstance(model, self.model_class):
            raise TypeError(_("{editor}.model must be a {model}, not a {other}.", editor=type(self).__name__,
                              model=self.model_class.__name__, other=type(model).__name__))
        self._put(model)

    @property
    def feedback(self) -> list:
        """The latest ``validate()`` feedback (empty while the controls hold a structural error)."""
        return list(self._feedback)

    @property
    def figure(self):
        """The matplotlib Figure the editor redraws (reused on every change), or None for HTML-only views."""
        return self._fig

    @property
    def error(self) -> str | None:
        """The structural error that stops the controls from making a model, or None."""
        return self._error

    def to_json(self) -> str:
        """The current model as JSON text."""
        return self._model.to_json()

    def from_json(self, text: str) -> None:
        """Replace the editor's content with a model's JSON (FramingError if malformed; nothing changes)."""
        self._put(self.model_class.from_json(text))

    def _put(self, model: FramingModel) -> None:
        model.check()
        self._updating = True
        try:
            self._write(model)
        finally:
            self._updating = False
        self._model = model
        self._error = None
        self.refresh()

    def _changed(self, _change: Any = None) -> None:
        """Observer of every control: rebuild the model, then feedback and figure."""
        if self._updating:
            return
        try:
            self._model = self._read()
            self._error = None
        except FramingError as err:  # keep the last good model; show what to fix
            self._error = str(err)
        self.refresh()

    def refresh(self) -> None:
        """Validate the current model and redraw the feedback and the figure."""
        if self._error is None:
            try:
                self._feedback = self._model.validate()
            except FramingError as err:
                self._error, self._feedback = str(err), []
        else:
            self._feedback = []
        self.feedback_view.value = feedback_html(self._feedback, self._error,
                                                 title=_("Feedback: {summary}", summary=summary(self._feedback)),
                                                 label=_("{title}: feedback", title=_(self.title)))
        if self._error is None:
            self.figure_view.value = self._draw(self._model)

    # ---- files -----------------------------------------------------------------------------------
    def _path(self, path: str | os.PathLike | None) -> Path:
        return Path(path if path is not None else self.file.value.strip() or self.default_file)

    def save(self, path: str | os.PathLike | None = None) -> Path:
        """Save the current model as JSON (to ``path`` or the file box); EditorFileError if it cannot."""
        target = self._path(path)
        if self._error is not None:
            raise self._fail(_("Nothing saved to {path}: fix this first: {error}", path=target, error=self._error))
        try:
            save_model(self._model, target)
        except (FramingError, OSError) as err:
            raise self._fail(_("Could not save to {path}: {error}. Check the folder exists and you may write there.",
                               path=target, error=getattr(err, "strerror", None) or err)) from None
        self._ok(_("Saved to {path}", path=target))
        return target

    def load(self, path: str | os.PathLike | None = None) -> FramingModel:
        """Load a model saved as JSON (from ``path`` or the file box) into the editor.

        On failure raises EditorFileError naming the file; the editor keeps what it had.
        """
        source = self._path(path)
        try:
            model = load_model(source, kind=self.model_class)
        except FramingError as err:
            raise self._fail(_("{error} Your work in the editor is unchanged.", error=err)) from None
        self._put(model)
        self._ok(_("Loaded {path}", path=source))
        return model

    def _fail(self, message: str) -> EditorFileError:
        self.status.value = f'<span role="status" style="{_STATUS_BAD}">{html.escape(message)}</span>'
        return EditorFileError(message)

    def _ok(self, message: str) -> None:
        self.status.value = f'<span role="status" style="{_STATUS_OK}">{html.escape(message)}</span>'

    def _button(self, action) -> None:
        try:
            action()
        except EditorFileError:
            pass  # already shown in the status line

    # ---- display ---------------------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs: Any):
        return self.widget._repr_mimebundle_(**kwargs)

    def __repr__(self) -> str:
        return f"<{type(self).__name__}: {summary(self._feedback)}>"

    def _figure(self, plot, model) -> str:
        """Redraw ``plot(model)`` into the editor's one Figure and return it as inline SVG HTML."""
        from designkit.plots import alt_text, to_svg

        self._fig = plot(model, fig=self._fig)
        alt = html.escape(alt_text(self._fig))
        label = html.escape(_("Alt text:"))
        return (f'<figure style="margin:6px 0 0 0">{to_svg(self._fig)}'
                f'<figcaption style="font-size:11px;color:{MUTED}">{label} {alt}</figcaption></figure>')
