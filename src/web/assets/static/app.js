// Small enhancements; every page works without this file.
//  * search page: a chosen filter, sort or page size re-runs the search at once, and focus comes
//    back to the control that was used (the page reloads);
//  * record page: a "copy link" button, worded from the message catalogue (/i18n/{lang}.json).
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  var form = document.getElementById('search');
  if (form) {
    Array.prototype.forEach.call(document.querySelectorAll('.js-only'), function (el) {
      el.hidden = false;
    });
    document.addEventListener('change', function (e) {
      var t = e.target;
      if (!t || t.form !== form) return;
      if (t.type !== 'checkbox' && t.tagName !== 'SELECT') return;
      try { sessionStorage.setItem('hrtrack-focus', t.id); } catch (err) { /* private mode */ }
      if (form.requestSubmit) form.requestSubmit(); else form.submit();
    });
    // On a narrow screen the filters come before the results: fold the ones not in use.
    if (window.matchMedia && window.matchMedia('(max-width: 52rem)').matches) {
      Array.prototype.forEach.call(document.querySelectorAll('details.facet'), function (d) {
        if (!d.querySelector('input:checked')) d.open = false;
      });
    }
    var again = null;
    try {
      again = sessionStorage.getItem('hrtrack-focus');
      sessionStorage.removeItem('hrtrack-focus');
    } catch (err) { /* private mode */ }
    if (again) {
      var el = document.getElementById(again);
      if (el) {
        var d = el.closest('details');
        if (d) d.open = true;
        el.focus();
      }
    }
  }

  var links = document.querySelector('.record-links');
  if (links && navigator.clipboard) {
    var lang = document.documentElement.lang || 'en';
    fetch('/i18n/' + encodeURIComponent(lang) + '.json')
      .then(function (r) { return r.ok ? r.json() : {}; })
      .then(function (msg) {
        var button = document.createElement('button');
        button.type = 'button';
        button.className = 'copy-link';
        button.textContent = msg['record.copy_link'] || 'Copy link';
        var status = document.createElement('span');
        status.setAttribute('role', 'status');
        status.className = 'copy-status';
        button.addEventListener('click', function () {
          var a = links.querySelector('a');
          navigator.clipboard.writeText(a ? a.href : location.href).then(function () {
            status.textContent = msg['record.copied'] || 'Link copied';
          });
        });
        links.appendChild(document.createTextNode(' '));
        links.appendChild(button);
        links.appendChild(document.createTextNode(' '));
        links.appendChild(status);
      })
      .catch(function () { /* the link is still there to copy by hand */ });
  }
})();
