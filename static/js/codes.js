/* Codes ticked, not typed: each list of codes in a worksheet (the primary drivers a secondary driver feeds,
   the secondary drivers a change idea acts on) follows the rows of the group it names while they are typed,
   keeping what is ticked. Without JavaScript the lists show the rows as last saved. */
(function () {
  "use strict";
  var lists = document.querySelectorAll("fieldset.codes[data-codes-from]");
  if (!lists.length) { return; }

  function rowsOf(group) {
    var rows = [];
    var seen = {};
    group.querySelectorAll("input[name$='-code']").forEach(function (input) {
      var code = input.value.trim().toUpperCase();
      if (!code || seen[code]) { return; }
      seen[code] = true;
      var about = group.querySelector("[name='" + input.name.replace(/-code$/, "-description") + "']");
      var text = about ? about.value.replace(/\s+/g, " ").trim() : "";
      if (text.length > 40) { text = text.slice(0, 40).replace(/\s+\S*$/, "").replace(/[\s,;:\u00b7-]+$/, "") + "\u2026"; }  // as the server
      rows.push({ code: code, label: text ? code + " \u00b7 " + text : code });
    });
    return rows;
  }

  function rebuild(fieldset) {
    var group = document.getElementById(fieldset.getAttribute("data-codes-from"));
    var list = fieldset.querySelector("ul");
    if (!group || !list) { return; }
    var rows = rowsOf(group);
    var ticked = {};
    list.querySelectorAll("input:checked").forEach(function (box) { ticked[box.value] = true; });
    var offered = {};
    rows.forEach(function (row) { offered[row.code] = true; });
    Object.keys(ticked).forEach(function (code) {  // a ticked code whose row is gone stays, as on the server
      if (!offered[code]) { rows.push({ code: code, label: code }); }
    });
    var signature = rows.map(function (row) { return row.code + "\n" + row.label; }).join("\n");
    if (list.getAttribute("data-signature") === signature) { return; }
    list.setAttribute("data-signature", signature);
    var name = list.id;  // WTForms names the list after its field
    list.textContent = "";
    rows.forEach(function (row, index) {
      var item = document.createElement("li");
      var box = document.createElement("input");
      box.type = "checkbox";
      box.name = name;
      box.value = row.code;
      box.id = name + "-" + index;
      box.checked = Boolean(ticked[row.code]);
      var label = document.createElement("label");
      label.htmlFor = box.id;
      label.textContent = row.label;
      item.appendChild(box);
      item.appendChild(document.createTextNode(" "));
      item.appendChild(label);
      list.appendChild(item);
    });
    var empty = fieldset.querySelector(".codes-empty");
    if (empty) { empty.hidden = rows.length > 0; }
  }

  function rebuildAll() { lists.forEach(rebuild); }
  var timer = null;
  document.addEventListener("input", function (event) {
    if (!event.target.name || !/-(code|description)$/.test(event.target.name)) { return; }
    window.clearTimeout(timer);
    timer = window.setTimeout(rebuildAll, 250);
  });
  rebuildAll();
})();
