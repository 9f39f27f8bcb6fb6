/* cli-board.c: the verbs that act on a board: chip-info, flash-id,
 * read-mac, write, verify, read, erase, backup, restore, slot
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "cli-boot.h"
#include "fs-device-record.h"
#include "fs-error.h"
#include "fs-flash.h"
#include "fs-manifest.h"

#define RERUN_HINT N_("Run the same command again: it writes only what is missing.")

typedef void (*PrintFacts) (FsJob *job);

static char *
format_flash_size (guint64 size)
{
  return size != 0 ? fs_format_size (size) : g_strdup (_("unknown"));
}

/* The JEDEC id as esptool shows it: manufacturer, then type and capacity */
static guint
flash_manufacturer (guint32 flash_id)
{
  return flash_id & 0xFF;
}

static guint
flash_device (guint32 flash_id)
{
  return (flash_id & 0xFF00) | ((flash_id >> 16) & 0xFF);
}

static const char *
on_off (gboolean value)
{
  return value ? _("on") : _("off");
}

static void
print_chip_info (FsJob *job)
{
  const FsChipFacts *facts = fs_job_get_facts (job);
  g_autofree char *chip = fs_chip_describe (facts->chip);
  g_autofree char *mac = fs_device_mac_from_bytes (facts->mac);
  g_autofree char *size = format_flash_size (facts->flash_size);

  g_print (_("Chip: %s (%s), revision v%u.%u\n"), chip, facts->description,
           facts->revision_major, facts->revision_minor);
  g_print (_("MAC: %s\n"), mac);
  g_print (_("Crystal: %u MHz\n"), facts->xtal_mhz);
  g_print (_("Flash ID: manufacturer 0x%02x, device 0x%04x\n"),
           flash_manufacturer (facts->flash_id), flash_device (facts->flash_id));
  g_print (_("Flash size: %s\n"), size);
  g_print (_("Flash encryption: %s\n"), on_off (facts->flash_encryption));
  g_print (_("Secure boot: %s\n"), on_off (facts->secure_boot));
  g_print (_("Loader: %s\n"), fs_job_get_used_stub (job) ? _("stub") : _("ROM"));
}

static void
print_chip_info_json (FsJob *job)
{
  const FsChipFacts *facts = fs_job_get_facts (job);
  g_autofree char *chip = fs_chip_describe (facts->chip);
  g_autofree char *mac = fs_device_mac_from_bytes (facts->mac);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  cli_json_member_string (builder, "chip", chip);
  cli_json_member_string (builder, "description", facts->description);
  cli_json_member_int (builder, "revision_major", facts->revision_major);
  cli_json_member_int (builder, "revision_minor", facts->revision_minor);
  cli_json_member_string (builder, "mac", mac);
  cli_json_member_int (builder, "crystal_mhz", facts->xtal_mhz);
  cli_json_member_int (builder, "flash_id", facts->flash_id);
  cli_json_member_int (builder, "flash_manufacturer", flash_manufacturer (facts->flash_id));
  cli_json_member_int (builder, "flash_device", flash_device (facts->flash_id));
  cli_json_member_int (builder, "flash_size", facts->flash_size);
  cli_json_member_bool (builder, "flash_encryption", facts->flash_encryption);
  cli_json_member_bool (builder, "secure_boot", facts->secure_boot);
  cli_json_member_string (builder, "loader", fs_job_get_used_stub (job) ? "stub" : "rom");
  json_builder_end_object (builder);
  cli_print_json (builder);
}

static void
print_flash_id (FsJob *job)
{
  const FsChipFacts *facts = fs_job_get_facts (job);
  g_autofree char *size = format_flash_size (facts->flash_size);

  g_print (_("Manufacturer: 0x%02x\n"), flash_manufacturer (facts->flash_id));
  g_print (_("Device: 0x%04x\n"), flash_device (facts->flash_id));
  g_print (_("Flash size: %s\n"), size);
}

static void
print_flash_id_json (FsJob *job)
{
  const FsChipFacts *facts = fs_job_get_facts (job);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  cli_json_member_int (builder, "flash_id", facts->flash_id);
  cli_json_member_int (builder, "manufacturer", flash_manufacturer (facts->flash_id));
  cli_json_member_int (builder, "device", flash_device (facts->flash_id));
  cli_json_member_int (builder, "flash_size", facts->flash_size);
  json_builder_end_object (builder);
  cli_print_json (builder);
}

static void
print_mac (FsJob *job)
{
  g_autofree char *mac = fs_device_mac_from_bytes (fs_job_get_facts (job)->mac);

  g_print (_("MAC: %s\n"), mac);
}

static void
print_mac_json (FsJob *job)
{
  g_autofree char *mac = fs_device_mac_from_bytes (fs_job_get_facts (job)->mac);
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  cli_json_member_string (builder, "mac", mac);
  json_builder_end_object (builder);
  cli_print_json (builder);
}

static int
no_arguments (GOptionContext *context,
              int             argc)
{
  if (argc != 1)
    return cli_usage_error (context, _("this command takes no arguments besides its options"));
  return CLI_EXIT_OK;
}

static int
identify (int         argc,
          char      **argv,
          const char *summary,
          PrintFacts  print,
          PrintFacts  print_json)
{
  g_auto(CliBoardOptions) options = { 0 };
  g_autoptr(GOptionContext) context = cli_option_context_new (NULL, summary);
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if ((status = cli_board_parse_options (context, &options, &argc, &argv)) != CLI_EXIT_OK ||
      (status = no_arguments (context, argc)) != CLI_EXIT_OK)
    return status;

  job = cli_board_new_job (&options, FS_JOB_IDENTIFY, &error);
  if (job == NULL || !cli_board_run_job (job, &error))
    return cli_board_fail (error);
  (options.as_json ? print_json : print) (job);
  return CLI_EXIT_OK;
}

int
cli_chip_info (int    argc,
               char **argv)
{
  return identify (argc, argv,
                   _("Shows the board's chip: model, revision, MAC, crystal, flash, flash encryption,\n"
                     "secure boot, and whether the stub loader runs."),
                   print_chip_info, print_chip_info_json);
}

int
cli_flash_id (int    argc,
              char **argv)
{
  return identify (argc, argv, _("Shows the JEDEC id and size of the board's flash chip."),
                   print_flash_id, print_flash_id_json);
}

int
cli_read_mac (int    argc,
              char **argv)
{
  return identify (argc, argv, _("Shows the MAC address of the board's chip."), print_mac, print_mac_json);
}

/* Prints "flash-studio-cli VERB: PATH: message"; returns CLI_EXIT_INVALID_INPUT */
static int
input_error (const char   *path,
             const GError *error)
{
  g_printerr ("%s: %s: %s\n", g_get_prgname (), path, error->message);
  return CLI_EXIT_INVALID_INPUT;
}

static int
invalid_input (const GError *error)
{
  g_printerr ("%s: %s\n", g_get_prgname (), error->message);
  return CLI_EXIT_INVALID_INPUT;
}

static int
add_file_part (GPtrArray  *parts,
               guint32     offset,
               const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = cli_read_file (path, &error);

  if (data == NULL)
    return input_error (path, error);
  g_ptr_array_add (parts, fs_flash_part_new (offset, data, path));
  return CLI_EXIT_OK;
}

/* The parts of the manifest's build for the board's chip, their paths
 * relative to the manifest */
static int
add_manifest_parts (GPtrArray       *parts,
                    const char      *manifest_path,
                    CliBoardOptions *options)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = cli_read_file (manifest_path, &error);
  g_autoptr(FsManifest) manifest = NULL;
  g_autofree char *folder = g_path_get_dirname (manifest_path);
  const FsChipInfo *chip = fs_chip_lookup (options->profile != NULL ?
                                           fs_board_profile_get_chip (options->profile) : FS_CHIP_ESP32);
  const FsManifestBuild *build;

  if (bytes == NULL || (manifest = fs_manifest_new_from_bytes (bytes, &error)) == NULL)
    return input_error (manifest_path, error);
  build = fs_manifest_find_build (manifest, chip->name);
  if (build == NULL)
    {
      g_printerr (_("%s: %s: the manifest has no build for %s (the chip of the board: choose it with --board)\n"),
                  g_get_prgname (), manifest_path, chip->name);
      return CLI_EXIT_INVALID_INPUT;
    }

  for (guint i = 0; i < build->parts->len; i++)
    {
      const FsManifestPart *part = g_ptr_array_index (build->parts, i);
      g_autofree char *path = g_build_filename (folder, part->path, NULL);
      int status = add_file_part (parts, part->offset, path);

      if (status != CLI_EXIT_OK)
        return status;
    }
  return CLI_EXIT_OK;
}

/* ADDR FILE pairs from argv[1] on */
static int
add_pairs (GPtrArray  *parts,
           int         argc,
           char      **argv)
{
  for (int i = 1; i + 1 < argc; i += 2)
    {
      g_autoptr(GError) error = NULL;
      guint32 offset;
      int status;

      if (!cli_board_parse_number (argv[i], &offset, &error))
        return invalid_input (error);
      if ((status = add_file_part (parts, offset, argv[i + 1])) != CLI_EXIT_OK)
        return status;
    }
  return CLI_EXIT_OK;
}

/* The files are read before the port is touched: a typo costs nothing */
static FsJob *
new_job_for_parts (CliBoardOptions  *options,
                   FsJobKind         kind,
                   GPtrArray        *parts,
                   GError          **error)
{
  FsJob *job = cli_board_new_job (options, kind, error);

  for (guint i = 0; job != NULL && i < parts->len; i++)
    {
      const FsFlashPart *part = g_ptr_array_index (parts, i);
      fs_job_add_region (job, part->name, part->offset, part->data);
    }
  return job;
}

static void
print_regions_json (FsJob        *job,
                    CliBoot      *boot,
                    const GError *error)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  cli_board_add_regions_json (builder, job);
  if (boot != NULL)
    cli_boot_add_json (builder, boot, job);
  if (error != NULL)
    cli_json_member_string (builder, "error", error->message);
  json_builder_end_object (builder);
  cli_print_json (builder);
}

/* What was written, and, when it was checked, what the board did after */
static void
print_regions (FsJob           *job,
               CliBoardOptions *options,
               CliBoot         *boot,
               const GError    *error)
{
  if (options->as_json)
    print_regions_json (job, boot, error);
  else
    {
      cli_board_print_regions (job);
      if (boot != NULL)
        cli_boot_print (boot, job);
    }
}

static gboolean
any_region_done (FsJob *job)
{
  for (guint i = 0; i < fs_job_get_n_regions (job); i++)
    {
      if (fs_job_get_region (job, i)->state != FS_REGION_PENDING)
        return TRUE;
    }
  return FALSE;
}

/* A job on regions that failed: what was done, where it stopped; for a
 * write, what to do */
static int
regions_failed (FsJob           *job,
                CliBoardOptions *options,
                const GError    *error)
{
  gboolean done = any_region_done (job);
  int status;

  if (done)
    print_regions (job, options, NULL, error);
  status = cli_board_fail (error);
  if (done && status == CLI_EXIT_BOARD && fs_job_get_kind (job) != FS_JOB_VERIFY)
    g_printerr ("%s\n", _(RERUN_HINT));
  return status;
}

static int
write_or_verify (int        argc,
                 char     **argv,
                 FsJobKind  kind)
{
  g_auto(CliBoardOptions) options = { 0 };
  g_auto(CliBoot) boot = { 0 };
  g_autofree char *manifest_path = NULL;
  const GOptionEntry entries[] = {
    { "manifest", 0, 0, G_OPTION_ARG_FILENAME, &manifest_path,
      N_("Take the files from an ESP Web Tools manifest: its build for the board's chip"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (kind == FS_JOB_WRITE)
    context = cli_option_context_new (_("ADDR FILE [ADDR FILE…]"),
                                      _("Writes each FILE at its ADDR (0x10000, 64K…), skipping the sectors that hold\n"
                                        "its data already, and checks each on the board by MD5. With --manifest, the\n"
                                        "files of an ESP Web Tools manifest's build for the board's chip (from --board,\n"
                                        "else ESP32). Files, addresses and sizes are checked before anything is written,\n"
                                        "and so is what the board will boot: an app without a bootloader to start it is\n"
                                        "refused. After the reset, what the board prints tells whether it runs."));
  else
    context = cli_option_context_new (_("ADDR FILE [ADDR FILE…]"),
                                      _("Compares each FILE with the flash at its ADDR, by MD5 on the board.\n"
                                        "Exits with 1 when the flash differs."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (kind == FS_JOB_WRITE)
    cli_boot_add_options (context, &boot, TRUE);
  if ((status = cli_board_parse_options (context, &options, &argc, &argv)) != CLI_EXIT_OK)
    return status;
  if ((argc - 1) % 2 != 0)
    return cli_usage_error (context, _("give an address and a file for each region"));
  if (argc == 1 && manifest_path == NULL)
    return cli_usage_error (context, _("give at least one ADDR FILE, or --manifest"));

  if ((manifest_path != NULL && (status = add_manifest_parts (parts, manifest_path, &options)) != CLI_EXIT_OK) ||
      (status = add_pairs (parts, argc, argv)) != CLI_EXIT_OK)
    return status;

  job = new_job_for_parts (&options, kind, parts, &error);
  if (job == NULL)
    return cli_board_fail (error);
  if (kind == FS_JOB_VERIFY)
    {
      if (!cli_board_run_job (job, &error))
        return regions_failed (job, &options, error);
      print_regions (job, &options, NULL, NULL);
      return CLI_EXIT_OK;
    }
  if (!cli_boot_apply (context, &boot, job))
    return CLI_EXIT_USAGE;
  if (!cli_boot_run_job (&boot, &options, job, &error))
    return regions_failed (job, &options, error);
  print_regions (job, &options, &boot, NULL);
  return cli_boot_exit_status (&boot);
}

int
cli_write (int    argc,
           char **argv)
{
  return write_or_verify (argc, argv, FS_JOB_WRITE);
}

int
cli_verify (int    argc,
            char **argv)
{
  return write_or_verify (argc, argv, FS_JOB_VERIFY);
}

/* A long read must not end in a file that cannot be written */
static int
check_output (const char *path)
{
  g_autofree char *folder = g_path_get_dirname (path);

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_printerr (_("%s: %s: is a folder, not a file\n"), g_get_prgname (), path);
      return CLI_EXIT_INVALID_INPUT;
    }
  if (g_access (folder, W_OK) != 0)
    {
      int saved_errno = errno;
      g_printerr (_("%s: %s: cannot write in %s: %s\n"), g_get_prgname (), path, folder, g_strerror (saved_errno));
      return CLI_EXIT_INVALID_INPUT;
    }
  return CLI_EXIT_OK;
}

static int
save_data (FsJob      *job,
           const char *path)
{
  g_autoptr(GError) error = NULL;

  if (!cli_write_file (path, fs_job_get_data (job), &error))
    return input_error (path, error);
  return CLI_EXIT_OK;
}

int
cli_read (int    argc,
          char **argv)
{
  g_auto(CliBoardOptions) options = { 0 };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (_("ADDR SIZE FILE"), _("Reads SIZE bytes of flash from ADDR (0x10000, 64K…) into FILE."));
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  guint32 offset, size;
  int status;

  if ((status = cli_board_parse_options (context, &options, &argc, &argv)) != CLI_EXIT_OK)
    return status;
  if (argc != 4)
    return cli_usage_error (context, _("give the address, the size and the file to write"));
  if (!cli_board_parse_number (argv[1], &offset, &error) ||
      !cli_board_parse_number (argv[2], &size, &error))
    return invalid_input (error);
  if ((status = check_output (argv[3])) != CLI_EXIT_OK)
    return status;

  job = cli_board_new_job (&options, FS_JOB_READ, &error);
  if (job == NULL)
    return cli_board_fail (error);
  fs_job_set_range (job, offset, size);
  if (!cli_board_run_job (job, &error))
    return cli_board_fail (error);
  if ((status = save_data (job, argv[3])) != CLI_EXIT_OK)
    return status;

  if (options.as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "file", argv[3]);
      cli_json_member_int (builder, "offset", offset);
      cli_json_member_int (builder, "size", size);
      json_builder_end_object (builder);
      cli_print_json (builder);
    }
  else
    {
      g_autofree char *address = cli_format_address (offset);
      g_autofree char *amount = fs_format_size_approx (size);

      g_print (_("%s: %s from %s\n"), argv[3], amount, address);
    }
  return CLI_EXIT_OK;
}

int
cli_erase (int    argc,
           char **argv)
{
  g_auto(CliBoardOptions) options = { 0 };
  g_autofree char *region_offset = NULL;
  const GOptionEntry entries[] = {
    { "region", 0, 0, G_OPTION_ARG_STRING, &region_offset,
      N_("Erase SIZE bytes from ADDR only (the SIZE follows as an argument)"), N_("ADDR SIZE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (_("[--region ADDR SIZE]"),
                            _("Erases the whole flash, or SIZE bytes from ADDR (whole sectors of 4 KiB)."));
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  guint32 offset = 0, size = 0;
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if ((status = cli_board_parse_options (context, &options, &argc, &argv)) != CLI_EXIT_OK)
    return status;
  if (region_offset == NULL && argc != 1)
    return cli_usage_error (context, _("give the range to erase as --region ADDR SIZE, or nothing for the whole flash"));
  if (region_offset != NULL && argc != 2)
    return cli_usage_error (context, _("--region takes an address and a size: --region ADDR SIZE"));
  if (region_offset != NULL &&
      (!cli_board_parse_number (region_offset, &offset, &error) ||
       !cli_board_parse_number (argv[1], &size, &error)))
    return invalid_input (error);

  job = cli_board_new_job (&options, FS_JOB_ERASE, &error);
  if (job == NULL)
    return cli_board_fail (error);
  if (region_offset != NULL)
    fs_job_set_range (job, offset, size);
  if (!cli_board_run_job (job, &error))
    return cli_board_fail (error);

  if (region_offset == NULL)
    size = fs_job_get_facts (job)->flash_size;
  if (options.as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_member_int (builder, "offset", offset);
      cli_json_member_int (builder, "size", size);
      cli_json_member_bool (builder, "whole_flash", region_offset == NULL);
      json_builder_end_object (builder);
      cli_print_json (builder);
    }
  else if (region_offset == NULL)
    {
      g_autofree char *text = format_flash_size (size);
      g_print (_("Erased the whole flash (%s)\n"), text);
    }
  else
    {
      g_autofree char *address = cli_format_address (offset);
      g_autofree char *amount = fs_format_size_approx (size);

      g_print (_("Erased %s from %s\n"), amount, address);
    }
  return CLI_EXIT_OK;
}

int
cli_backup (int    argc,
            char **argv)
{
  g_auto(CliBoardOptions) options = { 0 };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (_("FILE"), _("Reads the whole flash into FILE, checked by MD5 on the board. The file is\n"
                                         "written only when the whole flash was read."));
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  gsize size;
  int status;

  if ((status = cli_board_parse_options (context, &options, &argc, &argv)) != CLI_EXIT_OK)
    return status;
  if (argc != 2)
    return cli_usage_error (context, _("give the file to write the backup to"));
  if ((status = check_output (argv[1])) != CLI_EXIT_OK)
    return status;

  job = cli_board_new_job (&options, FS_JOB_BACKUP, &error);
  if (job == NULL || !cli_board_run_job (job, &error))
    return cli_board_fail (error);
  if ((status = save_data (job, argv[1])) != CLI_EXIT_OK)
    return status;

  size = g_bytes_get_size (fs_job_get_data (job));
  if (options.as_json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();

      json_builder_begin_object (builder);
      cli_json_member_string (builder, "file", argv[1]);
      cli_json_member_int (builder, "size", size);
      cli_json_member_string (builder, "md5", fs_job_get_md5 (job));
      json_builder_end_object (builder);
      cli_print_json (builder);
    }
  else
    {
      g_autofree char *text = fs_format_size (size);
      g_print (_("%s: %s, MD5 %s\n"), argv[1], text, fs_job_get_md5 (job));
    }
  return CLI_EXIT_OK;
}

int
cli_restore (int    argc,
             char **argv)
{
  g_auto(CliBoardOptions) options = { 0 };
  g_auto(CliBoot) boot = { 0 };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (_("FILE"), _("Writes a backup of the whole flash back, skipping the sectors that hold their\n"
                                         "data already, and checks it by MD5 on the board. After the reset, what the\n"
                                         "board prints tells whether it runs."));
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  cli_boot_add_options (context, &boot, FALSE);
  if ((status = cli_board_parse_options (context, &options, &argc, &argv)) != CLI_EXIT_OK)
    return status;
  if (argc != 2)
    return cli_usage_error (context, _("give the backup file to restore"));

  if ((status = add_file_part (parts, 0, argv[1])) != CLI_EXIT_OK)
    return status;
  job = new_job_for_parts (&options, FS_JOB_RESTORE, parts, &error);
  if (job == NULL)
    return cli_board_fail (error);
  if (!cli_boot_run_job (&boot, &options, job, &error))
    return regions_failed (job, &options, error);
  print_regions (job, &options, &boot, NULL);
  return cli_boot_exit_status (&boot);
}

static void
print_slots (const FsSlotState *state)
{
  if (state->n_slots == 0)
    g_print (_("Slots: none (the partition table has no OTA app slots)\n"));
  else
    g_print (_("Slots: %u (ota_0 to ota_%u)\n"), state->n_slots, state->n_slots - 1);
  if (state->boot_slot >= 0)
    g_print (_("Boots: ota_%d\n"), state->boot_slot);
  else
    g_print (_("Boots: the factory app, or ota_0 when there is none\n"));
  if (state->has_otadata)
    g_print (_("Sequence: %u\n"), state->sequence);
  else
    g_print (_("Sequence: none (no otadata partition)\n"));
}

static void
print_slots_json (FsJob   *job,
                  CliBoot *boot)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  const FsSlotState *state = fs_job_get_slot_state (job);

  json_builder_begin_object (builder);
  cli_json_member_int (builder, "n_slots", state->n_slots);
  cli_json_member_int (builder, "boot_slot", state->boot_slot);
  cli_json_member_bool (builder, "has_otadata", state->has_otadata);
  cli_json_member_int (builder, "sequence", state->sequence);
  cli_boot_add_json (builder, boot, job);
  json_builder_end_object (builder);
  cli_print_json (builder);
}

int
cli_slot (int    argc,
          char **argv)
{
  g_auto(CliBoardOptions) options = { 0 };
  g_auto(CliBoot) boot = { 0 };
  gint slot = -1;
  const GOptionEntry entries[] = {
    { "slot", 0, 0, G_OPTION_ARG_INT, &slot, N_("switch: the OTA slot to boot (0 for ota_0…; default: the other one)"), N_("N") },
    { NULL }
  };
  g_autoptr(GOptionContext) context =
    cli_option_context_new (_("show | switch [--slot N]"),
                            _("Shows the OTA app slots of the board's partition table and the one that boots,\n"
                              "or makes the bootloader boot another one; after a switch's reset, what the board\n"
                              "prints tells whether it runs."));
  g_autoptr(FsJob) job = NULL;
  g_autoptr(GError) error = NULL;
  gboolean show;
  int status;

  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  cli_boot_add_options (context, &boot, FALSE);
  if ((status = cli_board_parse_options (context, &options, &argc, &argv)) != CLI_EXIT_OK)
    return status;
  if (argc != 2 || (!g_str_equal (argv[1], "show") && !g_str_equal (argv[1], "switch")))
    return cli_usage_error (context, _("give “show” or “switch”"));
  show = g_str_equal (argv[1], "show");
  if (show && slot != -1)
    return cli_usage_error (context, _("--slot goes with “switch”"));
  if (slot < -1)
    return cli_usage_error (context, _("--slot is 0 for ota_0, 1 for ota_1…"));

  job = cli_board_new_job (&options, show ? FS_JOB_SLOT_SHOW : FS_JOB_SLOT_SWITCH, &error);
  if (job == NULL)
    return cli_board_fail (error);
  if (!show)
    fs_job_set_slot (job, slot);
  if (!(show ? cli_board_run_job (job, &error) : cli_boot_run_job (&boot, &options, job, &error)))
    return cli_board_fail (error);
  if (options.as_json)
    print_slots_json (job, &boot);
  else
    {
      print_slots (fs_job_get_slot_state (job));
      cli_boot_print (&boot, job);
    }
  return cli_boot_exit_status (&boot);
}
