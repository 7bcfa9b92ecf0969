// Celery dashboard: reads the Flower-compatible API of this application and redraws
// itself every few seconds. Plain JavaScript, no build step.
(function () {
	'use strict';

	var REFRESH_SECONDS = 3;

	function cell(text, className) {
		var td = document.createElement('td');
		td.textContent = (text === null || text === undefined) ? '' : String(text);
		if (className) {
			td.className = className;
		}
		return td;
	}

	function fill(tableId, rows, columns, emptyText) {
		var body = document.querySelector('#' + tableId + ' tbody');
		body.replaceChildren();
		if (rows.length === 0) {
			var tr = document.createElement('tr');
			var td = cell(emptyText, 'empty');
			td.colSpan = columns;
			tr.appendChild(td);
			body.appendChild(tr);
			return;
		}
		rows.forEach(function (values) {
			var tr = document.createElement('tr');
			values.forEach(function (value) {
				tr.appendChild(typeof value === 'number' ? cell(value, 'num') : cell(value));
			});
			body.appendChild(tr);
		});
	}

	function getJson(path) {
		return fetch(path, { headers: { Accept: 'application/json' } }).then(function (response) {
			if (!response.ok) {
				throw new Error(path + ' answered ' + response.status);
			}
			return response.json();
		});
	}

	function drawWorkers(workers) {
		var names = Object.keys(workers).sort();
		fill('workers', names.map(function (name) {
			var info = workers[name] || {};
			var stats = info.stats || {};
			var pool = stats.pool || {};
			var total = stats.total || {};
			var processed = Object.keys(total).reduce(function (sum, task) { return sum + total[task]; }, 0);
			var queues = (info.active_queues || []).map(function (queue) { return queue.name; }).join(', ');
			return [name, pool.implementation || '', pool['max-concurrency'] || 0, (info.active || []).length,
				processed, queues];
		}), 6, 'No worker answered');
		var tasks = {};
		var active = [];
		names.forEach(function (name) {
			var info = workers[name] || {};
			(info.registered || []).forEach(function (task) {
				var entry = tasks[task] || (tasks[task] = { runs: 0, running: 0, workers: [] });
				entry.workers.push(name);
			});
			var total = (info.stats || {}).total || {};
			Object.keys(total).forEach(function (task) {
				var entry = tasks[task] || (tasks[task] = { runs: 0, running: 0, workers: [] });
				entry.runs += total[task];
			});
			(info.active || []).forEach(function (request) {
				var entry = tasks[request.name] || (tasks[request.name] = { runs: 0, running: 0, workers: [] });
				entry.running += 1;
				var started = request.time_start ? new Date(request.time_start * 1000).toLocaleTimeString() : '';
				active.push([request.id, request.name, request.argsrepr || '', name, started]);
			});
		});
		fill('tasks', Object.keys(tasks).sort().map(function (task) {
			var entry = tasks[task];
			return [task, entry.runs, entry.running, entry.workers.join(', ')];
		}), 4, 'No task registered');
		fill('active', active, 5, 'Nothing running');
	}

	function drawQueues(lengths) {
		fill('queues', (lengths.active_queues || []).map(function (queue) {
			return [queue.name, queue.messages];
		}), 2, 'No queue');
	}

	function time(seconds) {
		return seconds ? new Date(seconds * 1000).toLocaleTimeString() : '';
	}

	function drawRecent(tasks) {
		fill('recent', Object.keys(tasks).map(function (id) {
			var task = tasks[id];
			var outcome = task.state === 'FAILURE' ? task.exception : task.result;
			return [id, task.name || '', task.state, task.args || '', outcome || '', task.worker || '',
				time(task.received || task.sent)];
		}), 7, 'No task event yet');
	}

	function refresh() {
		var status = document.getElementById('status');
		Promise.all([getJson('../api/workers'), getJson('../api/queues/length'),
			getJson('../api/tasks?limit=20')]).then(function (answers) {
			drawWorkers(answers[0]);
			drawQueues(answers[1]);
			drawRecent(answers[2]);
			status.className = 'status';
			status.textContent = 'updated ' + new Date().toLocaleTimeString();
		}).catch(function (error) {
			status.className = 'status bad';
			status.textContent = 'not updated: ' + error.message;
		}).finally(function () {
			window.setTimeout(refresh, REFRESH_SECONDS * 1000);
		});
	}

	document.getElementById('interval').textContent = String(REFRESH_SECONDS);
	refresh();
}());
