// Writes the PHP serialize fixtures of decode's corpus (decode/decodetest/corpus/php_*.bin) with the
// npm package php-serialize@5.1.3 (a JavaScript port of PHP's serialize), since PHP itself is
// not installed. Run from decode/decodetest/gen:
//   npm install --prefix /tmp/phpser php-serialize@5.1.3 && NODE_PATH=/tmp/phpser/node_modules node make_php.js
const fs = require("fs");
const { serialize } = require("php-serialize");

class User {
  constructor() {
    this.name = "Ada";
    this.age = 36;
    this.tags = ["math", "engines"];
  }
}

function write(name, value, scope) {
  fs.writeFileSync("../corpus/" + name, serialize(value, scope));
}

write("php_array.bin", { name: "Ada", age: 36, ratio: 0.5, active: true, nothing: null, tags: ["math", "engines"], "ünï": "cödé" });
write("php_object.bin", new User(), { User });
write("php_string.bin", "hello, world");
