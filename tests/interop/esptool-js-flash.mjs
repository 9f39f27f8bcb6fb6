// esptool-js-flash.mjs PTY FLASH_FILE
//
// Drives a virtual board with Espressif's esptool-js, as a web flasher
// would drive a real one: chip detection, MAC, flash ID, stub upload, a
// compressed write of 1 MB, MD5 verify and read-back. Then checks that the
// board's flash file holds exactly what was written. Exits 0 when all of it
// holds, 1 otherwise. The transport is ours: a Web Serial-like port on the
// pseudo-terminal, which is all esptool-js asks of a port.
import { createHash } from "node:crypto";
import { openSync } from "node:fs";
import { readFile } from "node:fs/promises";
import tty from "node:tty";
import { ESPLoader, Transport } from "esptool-js";

const [ptyPath, flashFile] = process.argv.slice(2);
// The baud esptool-js switches to after connecting; 115200 keeps the ROM's
const baudrate = Number(process.env.ESPTOOL_JS_BAUD ?? 115200);
const ADDRESS = 0x10000;
const SIZE = 1024 * 1024;

// A pty is a tty: Node's tty streams read it without tying up a thread
class PtyPort {
  constructor(path) {
    this.path = path;
    this.readable = null;
    this.writable = null;
  }

  async open() {
    const fd = openSync(this.path, "r+");
    const input = new tty.ReadStream(fd);
    const output = new tty.WriteStream(fd);

    input.setRawMode(true);
    this.input = input;
    this.readable = new ReadableStream({
      start(controller) {
        input.on("data", (chunk) => controller.enqueue(new Uint8Array(chunk)));
      },
    });
    this.writable = new WritableStream({
      write(chunk) {
        return new Promise((resolve, reject) =>
          output.write(chunk, (error) => (error ? reject(error) : resolve())));
      },
    });
  }

  async setSignals() {}

  getInfo() {
    return {};
  }

  async close() {
    this.input.destroy();
    this.readable = null;
    this.writable = null;
  }
}

// Incompressible-looking but reproducible: a xorshift stream
function testData(size) {
  const data = new Uint8Array(size);
  let x = 0x2545f491;
  for (let i = 0; i < size; i++) {
    x ^= x << 13; x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5; x >>>= 0;
    data[i] = x & 0xff;
  }
  return data;
}

function md5(data) {
  return createHash("md5").update(data).digest("hex");
}

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

const log = [];
const terminal = {
  clean() {},
  writeLine(line) { log.push(line); },
  write(text) { log.push(text); },
};

const port = new PtyPort(ptyPath);
const transport = new Transport(port, false);
const loader = new ESPLoader({ transport, baudrate, romBaudrate: 115200, terminal });

const chip = await loader.main("no_reset");
console.log(`chip: ${chip}`);
if (!chip.startsWith("ESP32"))
  fail(`chip detected as "${chip}"`);
if (!log.some((line) => line.includes("Stub running")))
  fail("the stub did not start");

const mac = await loader.chip.readMac(loader);
console.log(`mac: ${mac}`);
if (!/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(mac))
  fail(`MAC read as "${mac}"`);

const flashId = await loader.readFlashId();
console.log(`flash id: 0x${flashId.toString(16)}`);
if ((flashId & 0xff) !== 0xef)
  fail(`flash manufacturer 0x${(flashId & 0xff).toString(16)}`);

const data = testData(SIZE);
const writeStart = performance.now();
await loader.writeFlash({
  fileArray: [{ data, address: ADDRESS }],
  flashSize: "keep",
  flashMode: "keep",
  flashFreq: "keep",
  eraseAll: false,
  compress: true,
  calculateMD5Hash: md5,
});
console.log(`written and verified by MD5 in ${((performance.now() - writeStart) / 1000).toFixed(1)} s`);

const md5OnBoard = await loader.flashMd5sum(ADDRESS, SIZE);
if (md5OnBoard !== md5(data))
  fail(`board MD5 ${md5OnBoard}, expected ${md5(data)}`);

const readStart = performance.now();
const back = await loader.readFlash(ADDRESS, SIZE);
if (back.length !== SIZE || md5(back) !== md5(data))
  fail("read-back differs from what was written");
console.log(`read back in ${((performance.now() - readStart) / 1000).toFixed(1)} s`);

await loader.after("no_reset_stub");

const flash = await readFile(flashFile);
if (md5(flash.subarray(ADDRESS, ADDRESS + SIZE)) !== md5(data))
  fail("the board's flash file does not hold what was written");
console.log("flash file holds the data");
process.exit(0);
