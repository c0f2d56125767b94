// The queue dashboard's page script, served by gateway/queue-dashboard.ts from our own origin.
// It builds every node with textContent (the policy forbids string-to-HTML sinks), keeps the
// bearer token in this tab's sessionStorage only, and reads the numbers every few seconds.

const TOKEN_KEY = 'owh.queue-dashboard.token';
const REFRESH_MS = 5000;
const STATES = ['waiting', 'prioritized', 'active', 'delayed', 'waiting-children', 'failed', 'completed'];

const endpoint = document.body.dataset.endpoint;
const $ = (id) => document.getElementById(id);
let timer;

function cell(text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  return td;
}

function row(cells, attributes = {}) {
  const tr = document.createElement('tr');
  for (const [name, value] of Object.entries(attributes)) tr.setAttribute(name, value);
  tr.append(...cells);
  return tr;
}

function emptyRow(columns, text) {
  const td = cell(text, 'empty');
  td.colSpan = columns;
  return row([td]);
}

const time = (iso) => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false }) : '—');

function every(ms) {
  if (ms === null) return '—';
  if (ms < 1000) return `${ms} 毫秒`;
  if (ms < 60_000) return `${ms / 1000} 秒`;
  return `${Math.round(ms / 60_000)} 分钟`;
}

function setStatus(text, tone) {
  const status = $('status');
  status.textContent = text;
  status.className = tone ?? '';
}

function showLogin(message) {
  clearTimeout(timer);
  $('board').hidden = true;
  $('login').hidden = false;
  $('login-error').textContent = message;
  setStatus('请输入监督人员令牌。 Enter a supervisor token.');
  $('token').focus();
}

function render(data) {
  $('login').hidden = true;
  $('board').hidden = false;
  const up = data.redis === 'up';
  $('redis').textContent = up ? '正常 up' : '无法连接 down';
  $('redis').className = up ? 'good' : 'bad';
  $('redis-reason').hidden = up;
  $('redis-reason').textContent = up ? '' : `Redis 无法连接，队列数据暂不可用：${data.reason}`;
  const open = data.deadLetters.open;
  $('dead-letters').textContent = open === null ? `未知（${data.deadLetters.error}）` : String(open);
  $('dead-letters').className = open ? 'warn' : '';
  $('updated').textContent = time(data.generatedAt);
  setStatus(
    up ? '每 5 秒自动刷新。 Refreshes every 5 s.' : 'Redis 无法连接，仍在自动重试。',
    up ? '' : 'bad',
  );

  const unavailable = up ? '无' : 'Redis 无法连接';
  const queueRows = data.queues.map((queue) =>
    row(
      [
        cell(queue.name),
        ...STATES.map((state) => {
          const td = cell(String(queue.counts[state]), 'n');
          td.dataset.state = state;
          return td;
        }),
        cell(queue.paused ? '已暂停' : '否', queue.paused ? 'warn' : ''),
      ],
      { 'data-queue': queue.name },
    ),
  );
  $('queues').tBodies[0].replaceChildren(
    ...(queueRows.length ? queueRows : [emptyRow(STATES.length + 2, unavailable)]),
  );

  const schedulerRows = data.queues.flatMap((queue) =>
    queue.schedulers.map((s) =>
      row(
        [
          cell(queue.name),
          cell(s.name),
          cell(s.jobName),
          cell(s.pattern ?? every(s.everyMs)),
          cell(time(s.nextRunAt)),
        ],
        { 'data-scheduler': s.name },
      ),
    ),
  );
  $('schedulers').tBodies[0].replaceChildren(
    ...(schedulerRows.length ? schedulerRows : [emptyRow(5, unavailable)]),
  );

  const failed = data.queues
    .flatMap((queue) => queue.failed.map((job) => ({ queue: queue.name, ...job })))
    .sort((a, b) => (b.failedAt ?? b.timestamp).localeCompare(a.failedAt ?? a.timestamp));
  const failedRows = failed.map((job) =>
    row(
      [
        cell(job.queue),
        cell(job.name),
        cell(job.id),
        cell(String(job.attemptsMade), 'n'),
        cell(job.failedReason, 'reason'),
        cell(time(job.failedAt ?? job.timestamp)),
      ],
      { 'data-failed-job': job.id },
    ),
  );
  $('failed').tBodies[0].replaceChildren(...(failedRows.length ? failedRows : [emptyRow(6, unavailable)]));
}

async function refresh() {
  clearTimeout(timer);
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) return showLogin('');
  let response;
  try {
    response = await fetch(endpoint, { headers: { authorization: `Bearer ${token}` }, cache: 'no-store' });
  } catch {
    setStatus('无法连接到服务器，稍后自动重试。 The hub does not answer; retrying.', 'bad');
    timer = setTimeout(refresh, REFRESH_MS);
    return;
  }
  if (response.status === 401 || response.status === 403) {
    const body = await response.json().catch(() => ({}));
    sessionStorage.removeItem(TOKEN_KEY);
    const why =
      response.status === 401
        ? '令牌无效或已过期，请重新获取。'
        : '此看板仅供监督人员（supervisor）使用，请换用监督人员的令牌。';
    showLogin(`${why} (${response.status}: ${body.message ?? response.statusText})`);
    return;
  }
  if (!response.ok) {
    setStatus(`服务器出错（${response.status}），稍后自动重试。`, 'bad');
    timer = setTimeout(refresh, REFRESH_MS);
    return;
  }
  render(await response.json());
  timer = setTimeout(refresh, REFRESH_MS);
}

$('login').addEventListener('submit', (event) => {
  event.preventDefault();
  // People paste the whole header value as often as the token.
  const token = $('token')
    .value.trim()
    .replace(/^Bearer\s+/i, '');
  if (!token) return;
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token').value = '';
  refresh();
});

$('logout').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  showLogin('');
});

refresh();
