// The imports of js.hpp (a table of the JS values C++ holds handles on), declared
// for the link only: they are written in core.js, the module's hand-written loader,
// which replaces the glue Emscripten would put them in (link.js).
mergeInto(LibraryManager.library, {
  restochat_js_global: function () {},
  restochat_js_module: function () {},
  restochat_js_string: function () {},
  restochat_js_get: function () {},
  restochat_js_index: function () {},
  restochat_js_set: function () {},
  restochat_js_arg: function () {},
  restochat_js_arg_number: function () {},
  restochat_js_arg_bool: function () {},
  restochat_js_call: function () {},
  restochat_js_dup: function () {},
  restochat_js_free: function () {},
  restochat_js_same: function () {},
  restochat_js_number: function () {},
  restochat_js_truthy: function () {},
  restochat_js_utf8_size: function () {},
  restochat_js_take_utf8: function () {}
});
