// django-celery-beat's periodic-task form: show the chosen crontab in words under the field.
"use strict";
(function () {
  var script = document.getElementById("periodic-task-overrides");
  var data = document.getElementById("readable-crontabs");
  if (!script || !data || !window.django) return;
  var $ = window.django.jQuery;
  var readable = JSON.parse(data.textContent);
  var help = script.dataset.crontabHelp || "";
  $(".field-crontab_translation").hide();
  $(".field-crontab").on("change", function () {
    var text = readable[$("#id_crontab").val()] || "";
    var box = $(".field-crontab .help");
    box.text(help);
    if (text) box.append(document.createElement("br"), document.createTextNode(text));
  });
})();
