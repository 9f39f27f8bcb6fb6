/* test-device-registry.c: device records on disk, damaged ones, concurrent writers
 *
 * Each test has a registry of its own in a temporary folder.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>
#include <locale.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fs-device-registry.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-test-util.h"

#define MAC "24:0a:c4:12:34:56"
#define MD5_A "0123456789abcdef0123456789abcdef"
#define MD5_B "fedcba9876543210fedcba9876543210"

#define WRITERS_THREADS 3
#define WRITERS_PROCESSES 2
#define UPDATES_EACH 100

/* A temporary folder, removed with all it holds */
typedef struct {
  char *path;
} Scratch;

static void
scratch_free (Scratch *scratch)
{
  fs_test_remove_tree (scratch->path);
  g_free (scratch->path);
  g_free (scratch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Scratch, scratch_free)

static Scratch *
scratch_new (void)
{
  g_autoptr(GError) error = NULL;
  Scratch *scratch = g_new0 (Scratch, 1);

  scratch->path = g_dir_make_tmp ("fs-device-registry-XXXXXX", &error);
  g_assert_no_error (error);
  return scratch;
}

/* The registry in a folder "devices" of @scratch, which it makes itself */
static FsDeviceRegistry *
registry_new (Scratch *scratch)
{
  g_autofree char *dir = g_build_filename (scratch->path, "devices", NULL);

  return fs_device_registry_new (dir);
}

static GDateTime *
date_at (int hour)
{
  return g_date_time_new_utc (2024, 5, 1, hour, 30, 0);
}

static FsDeviceRecord *
make_full_record (void)
{
  FsDeviceRecord *record = fs_device_record_new (MAC);
  FsDeviceChip chip = {
    .name = (char *) "ESP32",
    .description = (char *) "ESP32-D0WD-V3",
    .revision = 301,
    .crystal_mhz = 40,
    .flash_size = 8 * 1024 * 1024,
    .flash_id = 0x1740c8,
    .flash_encryption = FALSE,
    .secure_boot = TRUE,
  };
  g_autoptr(GDateTime) morning = date_at (9);
  g_autoptr(GDateTime) noon = date_at (12);

  fs_device_record_set_nickname (record, "Garden sensor");
  fs_device_record_set_board_id (record, "heltec-wifi-kit-32");
  fs_device_record_set_layout (record, "esp32-8mb-ble");
  fs_device_record_set_last_serial (record, "0001");
  fs_device_record_set_chip (record, &chip);
  fs_device_record_add_backup (record, "/backups/flash-1.bin", MD5_A, morning, 8 * 1024 * 1024);
  fs_device_record_add_vm_region (record, "vm", 0x10000, "/fw/vm.bin", MD5_A);
  fs_device_record_add_vm_region (record, "bytecode", 0x310000, "/fw/app.bin", MD5_B);
  FsDeviceBoot runs = { (char *) "runs", (char *) "Running MicroPython 1.22 from ota_0 (0x010000)" };
  FsDeviceBoot crashes = { (char *) "does-not-boot", (char *) "The app crashed" };

  fs_device_record_add_upload (record, noon, "MicroPython 1.22", "verified");
  fs_device_record_set_upload_boot (record, &runs);
  fs_device_record_set_firmware (record, FS_DEVICE_FIRMWARE_VM, "esp32-8mb-ble", noon);
  fs_device_record_set_firmware_boot (record, &crashes);
  return record;
}

static void
assert_full_record (FsDeviceRecord *record)
{
  const FsDeviceChip *chip = fs_device_record_get_chip (record);
  GPtrArray *backups = fs_device_record_get_backups (record);
  GPtrArray *regions = fs_device_record_get_vm_regions (record);
  GPtrArray *uploads = fs_device_record_get_uploads (record);
  FsDeviceBackup *backup;
  FsDeviceVmRegion *region;
  FsDeviceUpload *upload;
  const FsDeviceFirmware *firmware;
  g_autofree char *backup_date = NULL;
  g_autofree char *upload_date = NULL;
  g_autofree char *firmware_date = NULL;

  g_assert_cmpstr (fs_device_record_get_mac (record), ==, MAC);
  g_assert_cmpstr (fs_device_record_get_nickname (record), ==, "Garden sensor");
  g_assert_cmpstr (fs_device_record_get_board_id (record), ==, "heltec-wifi-kit-32");
  g_assert_cmpstr (fs_device_record_get_layout (record), ==, "esp32-8mb-ble");
  g_assert_cmpstr (fs_device_record_get_last_serial (record), ==, "0001");

  g_assert_nonnull (chip);
  g_assert_cmpstr (chip->name, ==, "ESP32");
  g_assert_cmpstr (chip->description, ==, "ESP32-D0WD-V3");
  g_assert_cmpuint (chip->revision, ==, 301);
  g_assert_cmpuint (chip->crystal_mhz, ==, 40);
  g_assert_cmpuint (chip->flash_size, ==, 8 * 1024 * 1024);
  g_assert_cmphex (chip->flash_id, ==, 0x1740c8);
  g_assert_false (chip->flash_encryption);
  g_assert_true (chip->secure_boot);

  g_assert_cmpuint (backups->len, ==, 1);
  backup = g_ptr_array_index (backups, 0);
  backup_date = g_date_time_format_iso8601 (backup->date);
  g_assert_cmpstr (backup->path, ==, "/backups/flash-1.bin");
  g_assert_cmpstr (backup->md5, ==, MD5_A);
  g_assert_cmpstr (backup_date, ==, "2024-05-01T09:30:00Z");
  g_assert_cmpuint (backup->size, ==, 8 * 1024 * 1024);

  g_assert_cmpuint (regions->len, ==, 2);
  region = g_ptr_array_index (regions, 1);
  g_assert_cmpstr (region->name, ==, "bytecode");
  g_assert_cmphex (region->address, ==, 0x310000);
  g_assert_cmpstr (region->path, ==, "/fw/app.bin");
  g_assert_cmpstr (region->md5, ==, MD5_B);

  g_assert_cmpuint (uploads->len, ==, 1);
  upload = g_ptr_array_index (uploads, 0);
  upload_date = g_date_time_format_iso8601 (upload->date);
  g_assert_cmpstr (upload_date, ==, "2024-05-01T12:30:00Z");
  g_assert_cmpstr (upload->what, ==, "MicroPython 1.22");
  g_assert_cmpstr (upload->result, ==, "verified");
  g_assert_cmpstr (upload->boot.state, ==, "runs");
  g_assert_cmpstr (upload->boot.text, ==, "Running MicroPython 1.22 from ota_0 (0x010000)");

  firmware = fs_device_record_get_firmware (record);
  firmware_date = g_date_time_format_iso8601 (firmware->date);
  g_assert_cmpint (firmware->kind, ==, FS_DEVICE_FIRMWARE_VM);
  g_assert_cmpstr (firmware->title, ==, "esp32-8mb-ble");
  g_assert_cmpstr (firmware_date, ==, "2024-05-01T12:30:00Z");
  g_assert_cmpstr (firmware->boot.state, ==, "does-not-boot");
  g_assert_cmpstr (firmware->boot.text, ==, "The app crashed");
}

static char *
registry_file (FsDeviceRegistry *registry,
               const char       *name)
{
  return g_build_filename (fs_device_registry_get_dir (registry), name, NULL);
}

static void
write_text (const char *path,
            const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_path_get_dirname (path);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
test_save_load (void)
{
  g_autoptr(Scratch) scratch = scratch_new ();
  g_autoptr(FsDeviceRegistry) registry = registry_new (scratch);
  g_autoptr(FsDeviceRecord) record = make_full_record ();
  g_autoptr(FsDeviceRecord) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_autofree char *again = NULL;

  /* Nothing there yet */
  loaded = fs_device_registry_load (registry, MAC, &error);
  g_assert_error (error, FS_ERROR, FS_ERROR_NOT_FOUND);
  g_assert_cmpstr (error->message, ==, "There is no record of the board 24:0a:c4:12:34:56");
  g_assert_null (loaded);
  g_clear_error (&error);

  g_assert_true (fs_device_registry_save (registry, record, &error));
  g_assert_no_error (error);
  path = registry_file (registry, "24-0a-c4-12-34-56.json");
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));

  loaded = fs_device_registry_load (registry, MAC, &error);
  g_assert_no_error (error);
  assert_full_record (loaded);

  /* The text is stable: written, read and written again, it is the same */
  text = fs_device_record_to_data (record);
  again = fs_device_record_to_data (loaded);
  g_assert_cmpstr (text, ==, again);
}

static void
test_default_dir (void)
{
  g_autoptr(FsDeviceRegistry) registry = fs_device_registry_new (NULL);
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), "flash-studio", "devices", NULL);

  g_assert_cmpstr (fs_device_registry_get_dir (registry), ==, expected);
}

static void
test_upload_history_is_bounded (void)
{
  g_autoptr(FsDeviceRecord) record = fs_device_record_new (MAC);
  g_autoptr(GDateTime) date = date_at (10);
  FsDeviceUpload *first;

  for (guint i = 0; i < FS_DEVICE_RECORD_MAX_UPLOADS + 5; i++)
    {
      g_autofree char *what = g_strdup_printf ("upload %u", i);
      fs_device_record_add_upload (record, date, what, "verified");
    }
  g_assert_cmpuint (fs_device_record_get_uploads (record)->len, ==, FS_DEVICE_RECORD_MAX_UPLOADS);
  first = g_ptr_array_index (fs_device_record_get_uploads (record), 0);
  g_assert_cmpstr (first->what, ==, "upload 5");
}

static gboolean
rename_board (FsDeviceRecord  *record,
              gpointer         user_data,
              GError         **error)
{
  fs_device_record_set_nickname (record, user_data);
  return TRUE;
}

static gboolean
refuse (FsDeviceRecord  *record,
        gpointer         user_data,
        GError         **error)
{
  fs_device_record_set_nickname (record, "never written");
  g_set_error_literal (error, FS_ERROR, FS_ERROR_CANCELLED, "changed my mind");
  return FALSE;
}

static void
test_update (void)
{
  g_autoptr(Scratch) scratch = scratch_new ();
  g_autoptr(FsDeviceRegistry) registry = registry_new (scratch);
  g_autoptr(FsDeviceRecord) saved = make_full_record ();
  g_autoptr(FsDeviceRecord) loaded = NULL;
  g_autoptr(GError) error = NULL;

  /* A board without a record gets one */
  g_assert_true (fs_device_registry_update (registry, "aa:bb:cc:dd:ee:ff", rename_board, (gpointer) "New one", &error));
  g_assert_no_error (error);
  loaded = fs_device_registry_load (registry, "aa:bb:cc:dd:ee:ff", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fs_device_record_get_nickname (loaded), ==, "New one");
  g_clear_object (&loaded);

  /* An update changes what it changes and keeps the rest */
  g_assert_true (fs_device_registry_save (registry, saved, &error));
  g_assert_true (fs_device_registry_update (registry, MAC, rename_board, (gpointer) "Greenhouse", &error));
  g_assert_no_error (error);
  loaded = fs_device_registry_load (registry, MAC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fs_device_record_get_nickname (loaded), ==, "Greenhouse");
  g_assert_cmpstr (fs_device_record_get_board_id (loaded), ==, "heltec-wifi-kit-32");
  g_assert_cmpuint (fs_device_record_get_vm_regions (loaded)->len, ==, 2);
  g_clear_object (&loaded);

  /* A function that fails leaves the file alone */
  g_assert_false (fs_device_registry_update (registry, MAC, refuse, NULL, &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_CANCELLED);
  g_clear_error (&error);
  loaded = fs_device_registry_load (registry, MAC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (fs_device_record_get_nickname (loaded), ==, "Greenhouse");
}

static void
test_damaged_records (void)
{
  g_autoptr(Scratch) scratch = scratch_new ();
  g_autoptr(FsDeviceRegistry) registry = registry_new (scratch);
  g_autoptr(FsDeviceRecord) good = make_full_record ();
  g_autoptr(FsDeviceRecord) loaded = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bad_json = registry_file (registry, "11-22-33-44-55-66.json");
  g_autofree char *no_mac = registry_file (registry, "aa-bb-cc-dd-ee-ff.json");
  g_autofree char *odd_name = registry_file (registry, "notes.json");
  g_autofree char *lock = registry_file (registry, "24-0a-c4-12-34-56.lock");
  g_autofree char *expected = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  const FsProblem *problem;

  g_assert_true (fs_device_registry_save (registry, good, &error));
  g_assert_no_error (error);
  write_text (bad_json, "{\n  \"version\": 1,\n  \"mac\": \"11:22:33:44:55:66\"\n  \"nickname\": \"x\"\n}\n");
  write_text (no_mac, "{ \"version\": 1, \"nickname\": \"lost\" }\n");
  write_text (odd_name, "{}");
  /* The lock file the save left is not a record: not listed, not a problem */
  g_assert_true (g_file_test (lock, G_FILE_TEST_IS_REGULAR));

  records = fs_device_registry_list (registry, &problems, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 1);
  assert_full_record (g_ptr_array_index (records, 0));

  g_assert_cmpuint (problems->len, ==, 3);
  for (guint i = 0; i < problems->len; i++)
    {
      problem = g_ptr_array_index (problems, i);
      g_assert_true (g_str_has_prefix (problem->message, problem->subject));
      if (g_str_equal (problem->subject, bad_json))
        expected = g_strdup_printf ("%s: not valid JSON: 3:28: Parse error: unexpected string constant "
                                    "\"11:22:33:44:55:66\", expected character `,'", bad_json);
      else if (g_str_equal (problem->subject, no_mac))
        expected = g_strdup_printf ("%s: mac: required, but missing", no_mac);
      else
        expected = g_strdup_printf ("%s: the name is not a board's MAC such as “24-0a-c4-12-34-56.json”", odd_name);
      g_assert_cmpstr (problem->message, ==, expected);
      g_clear_pointer (&expected, g_free);
    }

  /* Loading one names the file and what is wrong */
  loaded = fs_device_registry_load (registry, "aa:bb:cc:dd:ee:ff", &error);
  g_assert_null (loaded);
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  expected = g_strdup_printf ("%s: mac: required, but missing", no_mac);
  g_assert_cmpstr (error->message, ==, expected);
  g_clear_error (&error);

  /* An update does not write over it: the user may still mend it */
  g_file_get_contents (no_mac, &before, NULL, NULL);
  g_assert_false (fs_device_registry_update (registry, "aa:bb:cc:dd:ee:ff", rename_board, (gpointer) "x", &error));
  g_assert_error (error, FS_ERROR, FS_ERROR_INVALID_DATA);
  g_file_get_contents (no_mac, &after, NULL, NULL);
  g_assert_cmpstr (before, ==, after);
}

static void
test_record_errors (void)
{
  const struct {
    const char *text;
    const char *message;
  } cases[] = {
    { "", "rec.json: the record is empty" },
    { "[]", "rec.json: the record should be a JSON object ({…})" },
    { "{\"mac\": \"24:0a:c4:12:34:56\"}", "rec.json: version: required, but missing" },
    { "{\"version\": 2, \"mac\": \"24:0a:c4:12:34:56\"}",
      "rec.json: version: 2 is not a version this Flash Studio reads (it reads 1); a newer Flash Studio wrote it" },
    { "{\"version\": 1, \"mac\": \"24:0A:C4:12:34:56\"}",
      "rec.json: mac: should be six lowercase hex pairs joined by “:”, such as “24:0a:c4:12:34:56”" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"nickname\": 7}", "rec.json: nickname: should be a string" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"chip\": {}}", "rec.json: chip.name: required, but missing" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"chip\": {\"name\": \"ESP32\", \"secure_boot\": 1}}",
      "rec.json: chip.secure_boot: should be true or false" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"backups\": {}}", "rec.json: backups: should be a list ([…])" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"backups\": [3]}", "rec.json: backups[0]: should be an object ({…})" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"backups\": [{\"path\": \"a\", \"md5\": \"xyz\"}]}",
      "rec.json: backups[0].md5: should be 32 lowercase hex digits" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"backups\": [{\"path\": \"a\", \"md5\": \"" MD5_A "\", \"date\": \"May\"}]}",
      "rec.json: backups[0].date: should be a date such as “2024-05-01T10:00:00Z”" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"vm\": [{\"name\": \"vm\", \"address\": 4294967296}]}",
      "rec.json: vm[0].address: should be between 0 and 4294967295" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"uploads\": [{\"date\": \"2024-05-01T10:00:00Z\", \"what\": \"\"}]}",
      "rec.json: uploads[0].what: should not be empty" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"uploads\": [{\"date\": \"2024-05-01T10:00:00Z\", \"what\": \"a\", "
      "\"result\": \"verified\", \"boot\": {\"state\": \"fine\"}}]}",
      "rec.json: uploads[0].boot.state: should be “runs”, “does-not-boot” or “unknown”" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"firmware\": []}", "rec.json: firmware: should be an object ({…})" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"firmware\": {\"kind\": \"unknown\", \"date\": \"2024-05-01T10:00:00Z\"}}",
      "rec.json: firmware.kind: should be “vm”, “erased” or “backup”" },
    { "{\"version\": 1, \"mac\": \"24:0a:c4:12:34:56\", \"firmware\": {\"kind\": \"vm\"}}",
      "rec.json: firmware.date: required, but missing" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(FsDeviceRecord) record = fs_device_record_new_from_data (cases[i].text, strlen (cases[i].text), "rec.json", &error);

      g_assert_null (record);
      g_assert_nonnull (error);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

typedef struct {
  FsDeviceRegistry *registry;
  guint             writer;
} Writer;

static gboolean
add_numbered_backup (FsDeviceRecord  *record,
                     gpointer         user_data,
                     GError         **error)
{
  g_autoptr(GDateTime) date = date_at (8);

  fs_device_record_add_backup (record, user_data, MD5_A, date, 4096);
  return TRUE;
}

static gboolean
run_updates (FsDeviceRegistry *registry,
             guint             writer)
{
  for (guint i = 0; i < UPDATES_EACH; i++)
    {
      g_autofree char *path = g_strdup_printf ("w%u-%u", writer, i);

      if (!fs_device_registry_update (registry, MAC, add_numbered_backup, path, NULL))
        return FALSE;
    }
  return TRUE;
}

static gpointer
writer_thread (gpointer data)
{
  Writer *writer = data;

  return GINT_TO_POINTER (run_updates (writer->registry, writer->writer));
}

static void
test_concurrent_writers (void)
{
  g_autoptr(Scratch) scratch = scratch_new ();
  g_autoptr(FsDeviceRegistry) registry = registry_new (scratch);
  g_autoptr(FsDeviceRecord) record = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  GThread *threads[WRITERS_THREADS];
  Writer writers[WRITERS_THREADS];
  pid_t children[WRITERS_PROCESSES];
  GPtrArray *backups;

  /* Processes first, before this one has threads of its own to fork with */
  for (guint i = 0; i < WRITERS_PROCESSES; i++)
    {
      children[i] = fork ();
      g_assert_cmpint (children[i], >=, 0);
      if (children[i] == 0)
        _exit (run_updates (registry, WRITERS_THREADS + i) ? 0 : 1);
    }
  for (guint i = 0; i < WRITERS_THREADS; i++)
    {
      writers[i] = (Writer) { registry, i };
      threads[i] = g_thread_new ("writer", writer_thread, &writers[i]);
    }
  for (guint i = 0; i < WRITERS_THREADS; i++)
    g_assert_true (GPOINTER_TO_INT (g_thread_join (threads[i])));
  for (guint i = 0; i < WRITERS_PROCESSES; i++)
    {
      int status = 0;

      g_assert_cmpint (waitpid (children[i], &status, 0), ==, children[i]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }

  /* Every update is in the file, once, and the file reads */
  record = fs_device_registry_load (registry, MAC, &error);
  g_assert_no_error (error);
  backups = fs_device_record_get_backups (record);
  g_assert_cmpuint (backups->len, ==, (WRITERS_THREADS + WRITERS_PROCESSES) * UPDATES_EACH);
  for (guint i = 0; i < backups->len; i++)
    {
      FsDeviceBackup *backup = g_ptr_array_index (backups, i);
      g_assert_true (g_hash_table_add (seen, backup->path));
    }
  for (guint w = 0; w < WRITERS_THREADS + WRITERS_PROCESSES; w++)
    for (guint i = 0; i < UPDATES_EACH; i++)
      {
        g_autofree char *path = g_strdup_printf ("w%u-%u", w, i);
        g_assert_true (g_hash_table_contains (seen, path));
      }
}

static void
test_backup_path (void)
{
  g_autoptr(Scratch) scratch = scratch_new ();
  g_autoptr(FsDeviceRegistry) registry = registry_new (scratch);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = registry_file (registry, "24-0a-c4-12-34-56/backups");
  g_autofree char *first = fs_device_registry_new_backup_path (registry, MAC, &error);
  g_autofree char *first_dir = NULL;
  g_autofree char *second = NULL;

  g_assert_no_error (error);
  first_dir = g_path_get_dirname (first);
  g_assert_cmpstr (first_dir, ==, dir);
  g_assert_true (g_file_test (dir, G_FILE_TEST_IS_DIR));
  g_assert_false (g_file_test (first, G_FILE_TEST_EXISTS));
  g_assert_true (g_str_has_suffix (first, ".bin"));

  /* Once it is written, the next backup gets another name */
  write_text (first, "flash");
  second = fs_device_registry_new_backup_path (registry, MAC, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (first, !=, second);
  g_assert_false (g_file_test (second, G_FILE_TEST_EXISTS));
}

static void
test_format_date (void)
{
  g_autoptr(GDateTime) morning = g_date_time_new_local (2026, 12, 3, 9, 5, 30);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (morning);
  g_autofree char *text = fs_device_format_date (utc);

  /* In local time, the day unpadded, the month by name */
  g_assert_cmpstr (text, ==, "3 December 2026, 09:05");
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/device-registry/default-dir", test_default_dir);
  g_test_add_func ("/device-registry/format-date", test_format_date);
  g_test_add_func ("/device-registry/save-load", test_save_load);
  g_test_add_func ("/device-registry/upload-history-is-bounded", test_upload_history_is_bounded);
  g_test_add_func ("/device-registry/update", test_update);
  g_test_add_func ("/device-registry/damaged-records", test_damaged_records);
  g_test_add_func ("/device-registry/record-errors", test_record_errors);
  g_test_add_func ("/device-registry/concurrent-writers", test_concurrent_writers);
  g_test_add_func ("/device-registry/backup-path", test_backup_path);

  return g_test_run ();
}
