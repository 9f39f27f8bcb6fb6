/* test-manifest.c: ESP Web Tools manifest.json
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <locale.h>
#include <string.h>

#include "fs-error.h"
#include "fs-manifest.h"

/* JSON written with ' for " to keep the cases readable */
static FsManifest *
parse (const char  *json,
       GError     **error)
{
  g_autofree char *text = g_strdup (json);
  g_autoptr(GBytes) bytes = NULL;

  g_strdelimit (text, "'", '"');
  bytes = g_bytes_new (text, strlen (text));
  return fs_manifest_new_from_bytes (bytes, error);
}

static const char *realistic =
  "{\n"
  "  'name': 'ESPHome Web',\n"
  "  'version': '2024.6.1',\n"
  "  'home_assistant_domain': 'esphome',\n"
  "  'funding_url': 'https://esphome.io/guides/supporters.html',\n"
  "  'new_install_prompt_erase': true,\n"
  "  'new_install_improv_wait_time': 15,\n"
  "  'builds': [\n"
  "    {\n"
  "      'chipFamily': 'ESP32',\n"
  "      'improv': true,\n"
  "      'parts': [\n"
  "        { 'path': 'esp32/bootloader.bin', 'offset': 4096 },\n"
  "        { 'path': 'esp32/partitions.bin', 'offset': 32768 },\n"
  "        { 'path': 'esp32/boot_app0.bin', 'offset': 57344 },\n"
  "        { 'path': 'esp32/firmware.bin', 'offset': 65536 }\n"
  "      ]\n"
  "    },\n"
  "    {\n"
  "      'chipFamily': 'ESP32-S3',\n"
  "      'parts': [ { 'path': 'esp32s3/firmware.factory.bin', 'offset': 0 } ]\n"
  "    },\n"
  "    {\n"
  "      'chipFamily': 'ESP32-C3',\n"
  "      'parts': [\n"
  "        { 'path': 'esp32c3/firmware.factory.bin', 'offset': '0x0' },\n"
  "        { 'path': 'esp32c3/storage.bin', 'offset': '0x290000' }\n"
  "      ]\n"
  "    },\n"
  "    {\n"
  "      'chipFamily': 'ESP8266',\n"
  "      'parts': [ { 'path': 'esp8266/firmware.bin', 'offset': 0 } ]\n"
  "    }\n"
  "  ]\n"
  "}\n";

static void
assert_part (const FsManifestBuild *build,
             guint                  index,
             const char            *path,
             guint32                offset)
{
  const FsManifestPart *part;

  g_assert_cmpuint (index, <, build->parts->len);
  part = g_ptr_array_index (build->parts, index);
  g_assert_cmpstr (part->path, ==, path);
  g_assert_cmphex (part->offset, ==, offset);
}

static void
test_realistic (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsManifest) manifest = parse (realistic, &error);
  GPtrArray *builds;
  const FsManifestBuild *build;

  g_assert_no_error (error);
  g_assert_cmpstr (fs_manifest_get_name (manifest), ==, "ESPHome Web");
  g_assert_cmpstr (fs_manifest_get_version (manifest), ==, "2024.6.1");
  g_assert_true (fs_manifest_get_new_install_prompt_erase (manifest));

  builds = fs_manifest_get_builds (manifest);
  g_assert_cmpuint (builds->len, ==, 4);
  build = g_ptr_array_index (builds, 0);
  g_assert_cmpstr (build->chip_family, ==, "ESP32");
  g_assert_cmpuint (build->parts->len, ==, 4);
  assert_part (build, 0, "esp32/bootloader.bin", 0x1000);
  assert_part (build, 1, "esp32/partitions.bin", 0x8000);
  assert_part (build, 2, "esp32/boot_app0.bin", 0xE000);
  assert_part (build, 3, "esp32/firmware.bin", 0x10000);

  build = g_ptr_array_index (builds, 2);
  g_assert_cmpstr (build->chip_family, ==, "ESP32-C3");
  assert_part (build, 0, "esp32c3/firmware.factory.bin", 0);
  assert_part (build, 1, "esp32c3/storage.bin", 0x290000);

  /* a chip Flash Studio does not know is kept */
  build = g_ptr_array_index (builds, 3);
  g_assert_cmpstr (build->chip_family, ==, "ESP8266");
}

static void
test_find_build (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsManifest) manifest = parse (realistic, &error);
  GPtrArray *builds;

  g_assert_no_error (error);
  builds = fs_manifest_get_builds (manifest);
  g_assert_true (fs_manifest_find_build (manifest, "ESP32") == g_ptr_array_index (builds, 0));
  g_assert_true (fs_manifest_find_build (manifest, "esp32") == g_ptr_array_index (builds, 0));
  g_assert_true (fs_manifest_find_build (manifest, "ESP32-S3") == g_ptr_array_index (builds, 1));
  g_assert_true (fs_manifest_find_build (manifest, "esp32s3") == g_ptr_array_index (builds, 1));
  g_assert_true (fs_manifest_find_build (manifest, "ESP32C3") == g_ptr_array_index (builds, 2));
  g_assert_true (fs_manifest_find_build (manifest, "esp8266") == g_ptr_array_index (builds, 3));
  g_assert_null (fs_manifest_find_build (manifest, "ESP32-H2"));
  g_assert_null (fs_manifest_find_build (manifest, "ESP32-S"));
}

static void
test_minimal (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(FsManifest) manifest = parse (
    "{ 'name': 'Blink', 'version': null, 'builds': [ { 'chipFamily': 'ESP32-C6', 'parts': ["
    "  { 'path': 'a.bin', 'offset': 4096.0 }, { 'path': 'b.bin', 'offset': '64K' },"
    "  { 'path': 'c.bin', 'offset': 4294963200 } ] } ] }", &error);
  const FsManifestBuild *build;

  g_assert_no_error (error);
  g_assert_cmpstr (fs_manifest_get_name (manifest), ==, "Blink");
  g_assert_null (fs_manifest_get_version (manifest));
  g_assert_false (fs_manifest_get_new_install_prompt_erase (manifest));
  build = fs_manifest_find_build (manifest, "ESP32-C6");
  g_assert_nonnull (build);
  assert_part (build, 0, "a.bin", 0x1000);
  assert_part (build, 1, "b.bin", 0x10000);
  assert_part (build, 2, "c.bin", 0xFFFFF000);
}

#define PART_AT(offset) "{ 'name': 'x', 'builds': [ { 'chipFamily': 'ESP32', 'parts': [ { 'path': 'a.bin', 'offset': " offset " } ] } ] }"
#define PART_PATH(path) "{ 'name': 'x', 'builds': [ { 'chipFamily': 'ESP32', 'parts': [ { 'path': " path ", 'offset': 0 } ] } ] }"

static void
test_errors (void)
{
  static const struct { const char *json; const char *message; } cases[] = {
    { "", "the manifest is empty" },
    { " \n ", "the manifest is empty" },
    { "{ 'name': 'x', }",
      "the manifest is not valid JSON: 1:14: Parse error: unexpected character `,', expected character `]'" },
    { "{\n  'name': 'x'\n  'builds': []\n}",
      "the manifest is not valid JSON: 2:13: Parse error: unexpected string constant \"x\", expected character `,'" },
    { "[ 1 ]", "the manifest should be a JSON object ({…})" },
    { "{}", "name: required, but missing" },
    { "{ 'name': 5 }", "name: should be a string" },
    { "{ 'name': null }", "name: should be a string" },
    { "{ 'name': '' }", "name: should not be empty" },
    { "{ 'name': 'x', 'version': 1.0 }", "version: should be a string" },
    { "{ 'name': 'x', 'new_install_prompt_erase': 'yes' }",
      "new_install_prompt_erase: should be true or false" },
    { "{ 'name': 'x' }", "builds: required, but missing" },
    { "{ 'name': 'x', 'builds': {} }", "builds: should be a list ([…])" },
    { "{ 'name': 'x', 'builds': [] }", "builds: should list at least one build" },
    { "{ 'name': 'x', 'builds': [ 'ESP32' ] }", "builds[0]: should be an object ({…})" },
    { "{ 'name': 'x', 'builds': [ {} ] }", "builds[0].chipFamily: required, but missing" },
    { "{ 'name': 'x', 'builds': [ { 'chipFamily': '' } ] }", "builds[0].chipFamily: should not be empty" },
    { "{ 'name': 'x', 'builds': [ { 'chipFamily': 'ESP32' } ] }", "builds[0].parts: required, but missing" },
    { "{ 'name': 'x', 'builds': [ { 'chipFamily': 'ESP32', 'parts': 'a.bin' } ] }",
      "builds[0].parts: should be a list ([…])" },
    { "{ 'name': 'x', 'builds': [ { 'chipFamily': 'ESP32', 'parts': [] } ] }",
      "builds[0].parts: should list at least one part" },
    { "{ 'name': 'x', 'builds': [ { 'chipFamily': 'ESP32', 'parts': [ 'a.bin' ] } ] }",
      "builds[0].parts[0]: should be an object ({…})" },
    { "{ 'name': 'x', 'builds': [ { 'chipFamily': 'ESP32', 'parts': [ { 'offset': 0 } ] } ] }",
      "builds[0].parts[0].path: required, but missing" },
    { PART_PATH ("null"), "builds[0].parts[0].path: should be a string" },
    { PART_PATH ("''"), "builds[0].parts[0].path: should not be empty" },
    { PART_PATH ("'https://example.com/fw.bin'"),
      "builds[0].parts[0].path: “https://example.com/fw.bin” is on the internet; Flash Studio works "
      "offline, so download the file next to the manifest and give its name" },
    { PART_PATH ("'HTTP://example.com/fw.bin'"),
      "builds[0].parts[0].path: “HTTP://example.com/fw.bin” is on the internet; Flash Studio works "
      "offline, so download the file next to the manifest and give its name" },
    { PART_PATH ("'//example.com/fw.bin'"),
      "builds[0].parts[0].path: “//example.com/fw.bin” is on the internet; Flash Studio works "
      "offline, so download the file next to the manifest and give its name" },
    { "{ 'name': 'x', 'builds': [ { 'chipFamily': 'ESP32', 'parts': [ { 'path': 'a.bin' } ] } ] }",
      "builds[0].parts[0].offset: required, but missing" },
    { PART_AT ("true"),
      "builds[0].parts[0].offset: should be a number such as 65536 or a string such as \"0x10000\"" },
    { PART_AT ("null"),
      "builds[0].parts[0].offset: should be a number such as 65536 or a string such as \"0x10000\"" },
    { PART_AT ("-4096"), "builds[0].parts[0].offset: -4096 is negative" },
    { PART_AT ("-4096.0"), "builds[0].parts[0].offset: -4096 is negative" },
    { PART_AT ("4294967296"), "builds[0].parts[0].offset: 4294967296 is too large for a flash offset" },
    { PART_AT ("1e10"), "builds[0].parts[0].offset: 10000000000 is too large for a flash offset" },
    { PART_AT ("4096.5"), "builds[0].parts[0].offset: 4096.5 is not a whole number" },
    { PART_AT ("'abc'"), "builds[0].parts[0].offset: “abc” is not an offset (examples: 65536, \"0x10000\")" },
    { PART_AT ("'-4096'"), "builds[0].parts[0].offset: “-4096” is not an offset (examples: 65536, \"0x10000\")" },
    { PART_AT ("'0x100000000'"), "builds[0].parts[0].offset: 0x100000000 is too large for a flash offset" },
    { PART_AT ("'0x1001'"), "builds[0].parts[0].offset: 0x1001 is not a multiple of 4096" },
    { "{ 'name': 'x', 'builds': ["
      "  { 'chipFamily': 'ESP32', 'parts': [ { 'path': 'a.bin', 'offset': 4096 } ] },"
      "  { 'chipFamily': 'ESP32-S3', 'parts': [ { 'path': 'a.bin', 'offset': 4097 } ] } ] }",
      "builds[1].parts[0].offset: 4097 is not a multiple of 4096" },
    { "{ 'name': 'x', 'builds': [ { 'chipFamily': 'ESP32', 'parts': ["
      "  { 'path': 'a.bin', 'offset': 4096 }, { 'path': 'b.bin', 'offset': '0x10000' },"
      "  { 'path': 'c.bin', 'offset': 65536 } ] } ] }",
      "builds[0].parts[2].offset: 65536 is also the offset of builds[0].parts[1]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsManifest) manifest = parse (cases[i].json, &error);

      g_test_message ("case %u: %s", i, cases[i].json);
      g_assert_null (manifest);
      g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_not_utf8 (void)
{
  static const char json[] = "{ \"name\": \"caf\xE9\" }";
  g_autoptr(GBytes) bytes = g_bytes_new_static (json, sizeof (json) - 1);
  g_autoptr(GBytes) nul = g_bytes_new_static ("{}\0", 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) error_nul = NULL;

  g_assert_null (fs_manifest_new_from_bytes (bytes, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_assert_cmpstr (error->message, ==, "the manifest is not UTF-8 text (byte 14 is not valid)");
  g_assert_null (fs_manifest_new_from_bytes (nul, &error_nul));
  g_assert_cmpstr (error_nul->message, ==, "the manifest is not UTF-8 text (byte 2 is not valid)");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/manifest/realistic", test_realistic);
  g_test_add_func ("/manifest/find-build", test_find_build);
  g_test_add_func ("/manifest/minimal", test_minimal);
  g_test_add_func ("/manifest/errors", test_errors);
  g_test_add_func ("/manifest/not-utf8", test_not_utf8);

  return g_test_run ();
}
