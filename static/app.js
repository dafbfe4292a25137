// Upload progress for htmx forms (without JavaScript the form posts normally and has no bar).
document.addEventListener("htmx:xhr:progress", function (event) {
  var form = event.target.closest("form");
  var bar = form && form.querySelector(".upload-progress");
  if (!bar || !event.detail.lengthComputable) return;
  bar.hidden = false;
  bar.value = Math.round((event.detail.loaded / event.detail.total) * 100);
});

// Focus the error summary (or the element marked for it) when a page or an htmx swap shows one.
function focusMarked(root) {
  var target = (root || document).querySelector("[data-autofocus]");
  if (target) target.focus();
}
document.addEventListener("DOMContentLoaded", function () { focusMarked(document); });
document.addEventListener("htmx:afterSettle", function (event) { focusMarked(event.target); });

// A swap must not close what the officer had opened (a "change the wording" panel) nor lose their place:
// open <details> and the focused element are found again by id in the new content.
var keptBeforeSwap = null;
document.addEventListener("htmx:beforeSwap", function () {
  var open = document.querySelectorAll("details[open][id]");
  keptBeforeSwap = {
    open: Array.prototype.map.call(open, function (details) { return details.id; }),
    focused: document.activeElement && document.activeElement.id,
  };
});
document.addEventListener("htmx:afterSwap", function () {
  if (!keptBeforeSwap) return;
  keptBeforeSwap.open.forEach(function (id) {
    var details = document.getElementById(id);
    if (details) details.open = true;
  });
  var focused = keptBeforeSwap.focused && document.getElementById(keptBeforeSwap.focused);
  if (focused && document.activeElement !== focused) focused.focus({ preventScroll: true });
  keptBeforeSwap = null;
});

// A form that saves itself on every change (data-keep-edits): an answer must not overwrite what the officer
// did while it was on its way (a second choice, words being typed). That answer is not swapped in; the next
// save (htmx queues the newest change behind the one in flight) carries the whole form and is shown.
var editsMade = 0;
function countEdit(event) {
  if (event.target.form && event.target.form.hasAttribute("data-keep-edits")) editsMade += 1;
}
document.addEventListener("input", countEdit, true);
document.addEventListener("change", countEdit, true);
document.addEventListener("htmx:beforeRequest", function (event) {
  if (event.detail.elt.closest("[data-keep-edits]")) event.detail.xhr.editsWhenSent = editsMade;
});
document.addEventListener("htmx:beforeSwap", function (event) {  // fired on the target, not the form
  var sent = event.detail.xhr.editsWhenSent;
  if (sent !== undefined && editsMade > sent) event.detail.shouldSwap = false;
});
