// zkdigest HTML report: sorts a table when one of its headings is clicked (again: the other way).
// An address ending in #sort=TABLE:COLUMN (e.g. #sort=profile:calls) opens the page sorted so.
(function () {
  'use strict';

  function value(cell, numeric) {
    if (!numeric) {
      return cell.textContent;
    }
    var v = cell.getAttribute('data-v');
    return v === null ? -Infinity : Number(v);
  }

  function sort(table, th, descending) {
    var col = th.cellIndex;
    var numeric = th.classList.contains('num');
    var body = table.tBodies[0];
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = value(a.cells[col], numeric);
      var y = value(b.cells[col], numeric);
      var c = x < y ? -1 : x > y ? 1 : 0;
      return descending ? -c : c;
    });
    rows.forEach(function (r) {
      body.appendChild(r);
    });
    Array.prototype.forEach.call(th.parentNode.cells, function (h) {
      h.removeAttribute('aria-sort');
    });
    th.setAttribute('aria-sort', descending ? 'descending' : 'ascending');
  }

  // Numbers biggest first (ranks smallest first), text A to Z; a second click reverses.
  function toggle(table, th) {
    var first = th.classList.contains('num') && !th.classList.contains('asc');
    var current = th.getAttribute('aria-sort');
    var descending = current === null ? first : current === 'ascending';
    sort(table, th, descending);
  }

  Array.prototype.forEach.call(document.querySelectorAll('table.sortable'), function (table) {
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th) {
      th.querySelector('button').addEventListener('click', function () {
        toggle(table, th);
      });
    });
  });

  var m = /^#sort=([\w-]+):([\w-]+)$/.exec(location.hash);
  if (m) {
    var table = document.getElementById(m[1]);
    var th = table && table.querySelector('th[data-key="' + m[2] + '"]');
    if (th) {
      toggle(table, th);
    }
  }
})();
