/**
 * "Check & submit": before a problem set goes, the student sees which parts pass and which fail.
 *
 * A toolbar button on every notebook inside a fetched problem set (<set>/<notebook>.ipynb). It saves the
 * notebook, asks the kit's server extension (designkit.classroom.on_submit, GET /designkit/checks) to run
 * the notebook's visible checks, shows the summary, and on "Submit" calls nbgrader's own submit endpoint
 * (POST /assignments/submit, as nbgrader's Assignments tab does). Then it asks for grading on submit
 * (POST /designkit/grading) and shows what comes back: the score of each part and a link to the feedback
 * page, or, in plain words from the server, that grading on submit is off for this set or failed.
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
  problems?: string[];
  error: string;
}

interface IGradedPart {
  name: string;
  grade_id: string;
  score: number;
  max_score: number;
}

interface IGrading {
  state: 'none' | 'queued' | 'grading' | 'done' | 'off' | 'failed';
  message?: string;
  parts?: IGradedPart[];
  score?: number;
  max_score?: number;
  feedback?: string[];
  notes?: string[];
}

const FINAL = ['done', 'off', 'failed'];
const POLL_MS = 1000;
const GIVE_UP_MS = 10 * 60 * 1000;

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
  if (checks.problems && checks.problems.length) {
    const list = document.createElement('ul');
    list.className = 'dk-submit-problems';
    for (const problem of checks.problems) {
      const item = document.createElement('li');
      item.textContent = problem;
      list.appendChild(item);
    }
    body.appendChild(list);
  }
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

function fileUrl(path: string): string {
  const settings = ServerConnection.makeSettings();
  return URLExt.join(settings.baseUrl, 'files', ...path.split('/').map(encodeURIComponent));
}

/** Show ``state`` in ``node`` (the "Submitted" dialog's grading part). */
function showGrading(node: HTMLElement, state: IGrading): void {
  node.replaceChildren();
  node.dataset.state = state.state;
  if (state.state !== 'done') {
    const line = document.createElement('p');
    line.className = state.state === 'failed' ? 'dk-grading-failed' : 'dk-grading-status';
    line.textContent = state.message || state.state;
    if (state.state === 'queued' || state.state === 'grading') {
      line.setAttribute('aria-busy', 'true');
    }
    node.appendChild(line);
    return;
  }
  const head = document.createElement('p');
  head.className = 'dk-grading-score';
  const parts = state.parts || [];
  const got = parts.reduce((sum, p) => sum + p.score, 0);
  const out = parts.reduce((sum, p) => sum + p.max_score, 0);
  const byPerson = (state.max_score || 0) - out;
  head.textContent =
    `Autograded parts: ${got} of ${out} points.` +
    (byPerson > 0 ? ` ${byPerson} more points are graded by a person later.` : '');
  node.appendChild(head);
  const table = document.createElement('table');
  table.className = 'dk-grading-parts';
  const caption = document.createElement('caption');
  caption.textContent = 'Score per part';
  table.appendChild(caption);
  for (const part of parts) {
    const row = table.insertRow();
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = part.name;
    row.appendChild(name);
    row.insertCell().textContent = `${part.score} / ${part.max_score}`;
  }
  node.appendChild(table);
  for (const note of state.notes || []) {
    const p = document.createElement('p');
    p.className = 'dk-grading-note';
    p.textContent = note;
    node.appendChild(p);
  }
  for (const page of state.feedback || []) {
    const link = document.createElement('a');
    link.className = 'dk-grading-feedback';
    link.href = fileUrl(page);
    link.target = '_blank';
    link.rel = 'noopener';
    link.textContent = 'Open your feedback';
    link.title = page;
    const p = document.createElement('p');
    p.appendChild(link);
    node.appendChild(p);
  }
}

/** Ask for grading on submit and keep ``node`` up to date until a final state (or the dialog closes). */
async function followGrading(assignment: string, node: HTMLElement, open: () => boolean): Promise<void> {
  const id = encodeURIComponent(assignment);
  let state: IGrading;
  try {
    state = await request<IGrading>('designkit/grading', {
      method: 'POST',
      body: new URLSearchParams({ assignment_id: assignment })
    });
  } catch (err) {
    state = { state: 'failed', message: `Grading on submit could not start: ${err}` };
  }
  const start = Date.now();
  showGrading(node, state);
  while (!FINAL.includes(state.state) && open()) {
    await new Promise(resolve => setTimeout(resolve, POLL_MS));
    try {
      state = await request<IGrading>(`designkit/grading?assignment_id=${id}`);
    } catch (err) {
      state = { state: 'failed', message: `Lost contact with the server while grading: ${err}` };
    }
    if (!FINAL.includes(state.state) && Date.now() - start > GIVE_UP_MS) {
      state = { state: 'failed', message: 'No result after 10 minutes: your instructor grades it later.' };
    }
    showGrading(node, state);
  }
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
  if (!result.success) {
    await showDialog({
      title: 'The submission failed',
      body: String(result.value || 'nbgrader gave no reason'),
      buttons: [Dialog.okButton()]
    });
    return;
  }
  const body = document.createElement('div');
  body.className = 'dk-submitted';
  const sent = document.createElement('p');
  sent.textContent = `${checks.assignment_id} was submitted.`;
  const grading = document.createElement('div');
  grading.className = 'dk-grading';
  grading.setAttribute('aria-live', 'polite');
  body.append(sent, grading);
  let open = true;
  const done = showDialog({ title: 'Submitted', body: new Widget({ node: body }), buttons: [Dialog.okButton()] });
  void followGrading(checks.assignment_id, grading, () => open);
  await done;
  open = false;
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
