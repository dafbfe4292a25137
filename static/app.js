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
