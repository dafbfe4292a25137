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
// A search sent with its button (not as it is typed) that comes back with a problem: to its summary,
// as a page loaded without JavaScript does (autofocus); while typing, focus stays in the box.
document.addEventListener("htmx:afterSettle", function (event) {
  var config = event.detail && event.detail.requestConfig;
  var trigger = config && config.triggeringEvent;
  if (!trigger || trigger.type !== "submit") return;
  var summary = event.target.querySelector(".error-summary[tabindex]");
  if (summary) summary.focus();
});

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

// A date's boxes sent beside an answer (hx-swap-oob: the disclosure log, the calculator, the timeliness
// report and a batch's live count, answered as one types)
// are brought up to date in place, not replaced: the marks are the answer's (the fieldset's error class,
// aria-describedby and message, each box's aria-invalid), while the boxes themselves stay as they are,
// with what the person typed meanwhile and where their cursor is. The next change sends them as they are.
function copyAttributes(from, to, names) {
  names.forEach(function (name) {
    if (from.hasAttribute(name)) to.setAttribute(name, from.getAttribute(name));
    else to.removeAttribute(name);
  });
}
document.addEventListener("htmx:oobBeforeSwap", function (event) {
  var detail = event.detail;
  var fragment = detail && detail.fragment;
  var live = detail && detail.target && detail.target.querySelector && detail.target.querySelector("fieldset.date-field");
  var incoming = fragment && fragment.querySelector && fragment.querySelector("fieldset.date-field");
  if (!live || !incoming) return;
  detail.shouldSwap = false;
  copyAttributes(incoming, live, ["class", "aria-describedby"]);
  Array.prototype.forEach.call(incoming.querySelectorAll("input[id]"), function (box) {
    var current = document.getElementById(box.id);
    if (current && live.contains(current)) copyAttributes(box, current, ["aria-invalid", "aria-describedby"]);
  });
  Array.prototype.forEach.call(live.querySelectorAll(".field-error"), function (old) { old.remove(); });
  var message = incoming.querySelector(".field-error");
  var boxes = live.querySelector(".date-input");
  if (message && boxes) boxes.parentNode.insertBefore(message, boxes);
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

// A file over the upload limit (FOI_MAX_UPLOAD_MB, in <meta name="upload-limit">) is refused here, before
// anything is sent: the limit is named beside the field as soon as the file is chosen, and the form is not
// sent. Without JavaScript the server answers the same with its 413 page.
function uploadLimit() {
  var meta = document.querySelector('meta[name="upload-limit"]');
  var bytes = meta ? Number(meta.getAttribute("content")) : 0;
  return bytes > 0 ? { bytes: bytes, words: meta.getAttribute("data-words") } : null;
}
function tooLargeMessage(input) {
  var limit = uploadLimit();
  if (!limit || !input.files) return null;
  for (var i = 0; i < input.files.length; i += 1) {
    if (input.files[i].size > limit.bytes) return "The file must be smaller than " + limit.words;
  }
  return null;
}
function showFileProblem(input, message) {
  var id = (input.id || input.name) + "-size-error";
  var shown = document.getElementById(id);
  var described = (input.getAttribute("aria-describedby") || "").split(" ").filter(function (part) { return part && part !== id; });
  if (!message) {
    if (shown) shown.remove();
    input.removeAttribute("aria-invalid");
  } else {
    if (!shown) {
      shown = document.createElement("p");
      shown.id = id;
      shown.className = "field-error";
      shown.setAttribute("role", "alert");
      input.parentNode.insertBefore(shown, input);
    }
    shown.textContent = message;
    input.setAttribute("aria-invalid", "true");
    described.push(id);
  }
  if (described.length) input.setAttribute("aria-describedby", described.join(" "));
  else input.removeAttribute("aria-describedby");
}
document.addEventListener("change", function (event) {
  var input = event.target;
  if (input instanceof HTMLInputElement && input.type === "file") showFileProblem(input, tooLargeMessage(input));
});
// capturing, on the document: the form's own handlers (htmx's hx-post) never see a refused submission
document.addEventListener("submit", function (event) {
  var inputs = event.target.querySelectorAll ? event.target.querySelectorAll('input[type="file"]') : [];
  for (var i = 0; i < inputs.length; i += 1) {
    var message = tooLargeMessage(inputs[i]);
    if (message) {
      event.preventDefault();
      event.stopImmediatePropagation();
      showFileProblem(inputs[i], message);
      inputs[i].focus();
      return;
    }
  }
}, true);

// An upload the server refuses without a page of its own (413, 503) or that never arrives: said where the
// form shows its answer, instead of a full progress bar and nothing else.
function uploadProblem(event, message) {
  var form = event.detail.elt && event.detail.elt.closest ? event.detail.elt.closest("form") : null;
  var bar = form && form.querySelector(".upload-progress");
  if (!bar) return;
  bar.hidden = true;
  bar.value = 0;
  var selector = form.getAttribute("hx-target");
  var place = selector ? document.querySelector(selector) : null;
  if (!place) return;
  var said = document.createElement("p");
  said.className = "field-error";
  said.setAttribute("role", "alert");
  said.textContent = message;
  place.replaceChildren(said);
}
document.addEventListener("htmx:responseError", function (event) {
  var status = event.detail.xhr.status;
  var limit = uploadLimit();
  var message = "The document was not added: something went wrong on our side. Try again.";
  if (status === 413 && limit) message = "The document was not added: the file must be smaller than " + limit.words + ".";
  else if (status === 503 || status === 507) message = "The document was not added: the service is unavailable. Try again in a few minutes.";
  uploadProblem(event, message);
});
document.addEventListener("htmx:sendError", function (event) {
  uploadProblem(event, "The document was not added: the connection to the server was lost. Try again.");
});
