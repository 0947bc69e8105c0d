/**
 * "Check & submit": before a problem set goes, the student sees which parts pass and which fail.
 *
 * A toolbar button on every notebook inside a fetched problem set (<set>/<notebook>.ipynb). It saves the
 * notebook, asks the kit's server extension (designkit.classroom.on_submit, GET /designkit/checks) to run
 * the notebook's visible checks, shows the summary, and on "Submit" calls nbgrader's own submit endpoint
 * (POST /assignments/submit, as nbgrader's Assignments tab does).
 */
import { JupyterFrontEnd, JupyterFrontEndPlugin } from '@jupyterlab/application';
import { Dialog, ToolbarButton, showDialog } from '@jupyterlab/apputils';
import { URLExt } from '@jupyterlab/coreutils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { ServerConnection } from '@jupyterlab/services';
import { Widget } from '@lumino/widgets';

interface IPart {
  name: string;
  passed: boolean;
  message: string;
}

interface IChecks {
  course_id: string;
  assignment_id: string;
  parts: IPart[];
  error: string;
}

async function request<T>(path: string, init: RequestInit = {}): Promise<T> {
  const settings = ServerConnection.makeSettings();
  const url = URLExt.join(settings.baseUrl, path);
  const response = await ServerConnection.makeRequest(url, init, settings);
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`${response.status} ${text.slice(0, 300)}`);
  }
  return JSON.parse(text) as T;
}

function summary(checks: IChecks): Widget {
  const body = document.createElement('div');
  body.className = 'dk-submit-summary';
  const passing = checks.parts.filter(p => p.passed);
  const failing = checks.parts.filter(p => !p.passed);
  const head = document.createElement('p');
  head.textContent =
    `${passing.length} of ${checks.parts.length} parts pass their checks` +
    (failing.length ? `; ${failing.length} fail.` : '.');
  body.appendChild(head);
  if (failing.length) {
    const list = document.createElement('ul');
    list.className = 'dk-submit-failing';
    for (const part of failing) {
      const item = document.createElement('li');
      item.textContent = `${part.name}: ${part.message}`;
      list.appendChild(item);
    }
    body.appendChild(list);
  }
  const tail = document.createElement('p');
  tail.textContent = failing.length
    ? 'You can fix them first, or submit now and submit again later (the last submission counts).'
    : 'Hidden tests may check more once it is graded.';
  body.appendChild(tail);
  return new Widget({ node: body });
}

async function checkAndSubmit(panel: NotebookPanel): Promise<void> {
  await panel.context.save();
  const path = panel.context.path;
  let checks: IChecks;
  try {
    checks = await request<IChecks>(`designkit/checks?path=${encodeURIComponent(path)}`);
  } catch (err) {
    await showDialog({ title: 'Could not run the checks', body: String(err), buttons: [Dialog.okButton()] });
    return;
  }
  if (checks.error) {
    await showDialog({ title: 'Could not run the checks', body: checks.error, buttons: [Dialog.okButton()] });
    return;
  }
  const choice = await showDialog({
    title: `Submit ${checks.assignment_id}?`,
    body: summary(checks),
    buttons: [Dialog.cancelButton({ label: 'Not yet' }), Dialog.okButton({ label: 'Submit' })]
  });
  if (!choice.button.accept) {
    return;
  }
  const form = new URLSearchParams({ course_id: checks.course_id, assignment_id: checks.assignment_id });
  let result: { success: boolean; value?: string };
  try {
    result = await request('assignments/submit', { method: 'POST', body: form });
  } catch (err) {
    result = { success: false, value: String(err) };
  }
  await showDialog({
    title: result.success ? 'Submitted' : 'The submission failed',
    body: result.success
      ? `${checks.assignment_id} was submitted. Feedback appears in the Assignments tab once it is released.`
      : String(result.value || 'nbgrader gave no reason'),
    buttons: [Dialog.okButton()]
  });
}

const plugin: JupyterFrontEndPlugin<void> = {
  id: 'designkit-submit:plugin',
  description: 'Check & submit: a summary of the checks before a problem set is submitted',
  autoStart: true,
  activate: (app: JupyterFrontEnd) => {
    app.docRegistry.addWidgetExtension('Notebook', {
      createNew: (panel: NotebookPanel) => {
        const button = new ToolbarButton({
          className: 'dk-check-submit',
          label: 'Check & submit',
          tooltip: 'Run the checks, see which parts pass, then submit this problem set',
          onClick: () => void checkAndSubmit(panel)
        });
        button.hide(); // shown only in a fetched problem set (the server says which notebooks are part of one)
        panel.toolbar.insertItem(10, 'designkitSubmit', button);
        void panel.context.ready.then(async () => {
          const path = encodeURIComponent(panel.context.path);
          const probe = await request<IChecks>(`designkit/checks?probe=1&path=${path}`).catch(() => null);
          if (probe && probe.assignment_id) {
            button.show();
          }
        });
        return button;
      }
    });
  }
};

export default plugin;
