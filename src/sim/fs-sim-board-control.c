/* fs-sim-board-control.c: the commands flash-studio-sim takes on its
 * standard input, which the studio's and the command line's virtual
 * hands send too
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "fs-error.h"
#include "fs-sim-board.h"

/* TRANSLATORS: the first column is what is typed: keep it as it is and
 * translate the descriptions only, keeping them in their column */
static const char control_help[] =
  N_("reset                      press the Reset (EN) button\n"
     "boot download              hold BOOT (IO0) while pressing Reset: enter download mode\n"
     "boot on|off                hold the BOOT (IO0) button down, or let it go\n"
     "jumper on|off              place or remove a jumper from IO0 to GND\n"
     "hold on|off                hold the board's own button (Vigotech: Power), or let it go\n"
     "unplug | plug              pull the USB cable out, or plug it back in\n"
     "fault drop RATE            lose this share of bytes (0 to 1) in each direction\n"
     "fault garble RATE          flip a bit in this share of bytes\n"
     "fault delay MS             answer every command this much later\n"
     "fault unplug-after N       vanish after N more bytes from the host\n"
     "fault reset-after N        reset after N more bytes of flash are programmed\n"
     "fault needs-jumper on|off  only the jumper enters download mode\n"
     "fault spill on|off         the ROM's compressed writes spill past the region\n"
     "fault stub-hang on|off     an uploaded stub never greets\n"
     "fault seed N               seed of the drop and garble generator\n"
     "fault clear                no faults\n"
     "status                     the board's mode\n");

const char *
fs_sim_board_control_help (void)
{
  return _(control_help);
}

static const char *
mode_name (FsSimMode mode)
{
  static const char * const names[] = {
    [FS_SIM_MODE_OFF] = "off",
    [FS_SIM_MODE_RESET] = "reset",
    [FS_SIM_MODE_DOWNLOAD] = "download",
    [FS_SIM_MODE_RUN] = "run",
  };
  return names[mode];
}

static gboolean
parse_switch (const char *text,
              gboolean   *value)
{
  if (g_strcmp0 (text, "on") == 0)
    *value = TRUE;
  else if (g_strcmp0 (text, "off") == 0)
    *value = FALSE;
  else
    return FALSE;
  return TRUE;
}

static gboolean
parse_rate (const char *text,
            double     *value)
{
  char *end = NULL;

  if (text == NULL)
    return FALSE;
  *value = g_ascii_strtod (text, &end);
  return end != text && *end == '\0' && *value >= 0 && *value <= 1;
}

static gboolean
parse_count (const char *text,
             guint64    *value)
{
  return text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, value, NULL);
}

/* Changes one fault of @faults as "fault NAME VALUE" says */
static gboolean
parse_fault (FsSimFaults  *faults,
             const char   *name,
             const char   *value)
{
  guint64 count;

  if (g_strcmp0 (name, "clear") == 0 && value == NULL)
    memset (faults, 0, sizeof *faults);
  else if (g_strcmp0 (name, "drop") == 0)
    return parse_rate (value, &faults->drop_rate);
  else if (g_strcmp0 (name, "garble") == 0)
    return parse_rate (value, &faults->garble_rate);
  else if (g_strcmp0 (name, "needs-jumper") == 0)
    return parse_switch (value, &faults->needs_jumper);
  else if (g_strcmp0 (name, "spill") == 0)
    return parse_switch (value, &faults->compressed_spill);
  else if (g_strcmp0 (name, "stub-hang") == 0)
    return parse_switch (value, &faults->stub_hangs);
  else if (!parse_count (value, &count))
    return FALSE;
  else if (g_strcmp0 (name, "delay") == 0)
    faults->reply_delay_ms = count;
  else if (g_strcmp0 (name, "unplug-after") == 0)
    faults->unplug_after = count;
  else if (g_strcmp0 (name, "reset-after") == 0)
    faults->reset_after = count;
  else if (g_strcmp0 (name, "seed") == 0)
    faults->seed = count;
  else
    return FALSE;
  return TRUE;
}

char *
fs_sim_board_control (FsSimBoard  *self,
                      const char  *command,
                      GError     **error)
{
  g_auto(GStrv) words = g_strsplit_set (command, " \t\r\n", -1);
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  gboolean on;

  g_return_val_if_fail (FS_IS_SIM_BOARD (self), NULL);

  for (guint i = 0; words[i] != NULL; i++)
    if (*words[i] != '\0')
      g_ptr_array_add (args, words[i]);
  g_ptr_array_add (args, NULL);

#define ARG(i) ((const char *) (i < args->len ? g_ptr_array_index (args, i) : NULL))
  if (g_strcmp0 (ARG (0), "reset") == 0 && ARG (1) == NULL)
    fs_sim_board_press_reset (self);
  else if (g_strcmp0 (ARG (0), "boot") == 0 && g_strcmp0 (ARG (1), "download") == 0 && ARG (2) == NULL)
    fs_sim_board_press_reset_with_boot (self);
  else if (g_strcmp0 (ARG (0), "boot") == 0 && parse_switch (ARG (1), &on) && ARG (2) == NULL)
    fs_sim_board_set_boot_held (self, on);
  else if (g_strcmp0 (ARG (0), "jumper") == 0 && parse_switch (ARG (1), &on) && ARG (2) == NULL)
    fs_sim_board_set_jumper (self, on);
  else if (g_strcmp0 (ARG (0), "hold") == 0 && parse_switch (ARG (1), &on) && ARG (2) == NULL)
    fs_sim_board_set_held (self, on);
  else if (g_strcmp0 (ARG (0), "unplug") == 0 && ARG (1) == NULL)
    fs_sim_board_set_plugged (self, FALSE);
  else if (g_strcmp0 (ARG (0), "plug") == 0 && ARG (1) == NULL)
    fs_sim_board_set_plugged (self, TRUE);
  else if (g_strcmp0 (ARG (0), "status") == 0 && ARG (1) == NULL)
    return g_strdup_printf ("mode %s", mode_name (fs_sim_board_get_mode (self)));
  else if (g_strcmp0 (ARG (0), "fault") == 0 && ARG (1) != NULL && (ARG (2) == NULL || ARG (3) == NULL))
    {
      FsSimFaults faults;

      fs_sim_board_get_faults (self, &faults);
      if (!parse_fault (&faults, ARG (1), ARG (2)))
        goto unknown;
      fs_sim_board_set_faults (self, &faults);
    }
  else
    goto unknown;
#undef ARG
  return g_strdup ("ok");

unknown:
  {
    g_autofree char *stripped = g_strstrip (g_strdup (command));
    g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                 _("“%s” is not a command the virtual board knows (try “help”)"), stripped);
  }
  return NULL;
}
