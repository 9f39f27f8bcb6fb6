/* cli-virtual-hands.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n.h>

#include "cli-virtual-hands.h"
#include "fs-transport-sim.h"

struct _CliVirtualHands
{
  FsJob      *job;
  FsSimBoard *board;
  char       *hold_button;   /* the profile's, or NULL */
  gboolean    held;
};

/* @command as flash-studio-sim takes it; @said for people */
static void
act (CliVirtualHands *hands,
     const char      *command,
     const char      *said)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *answer = fs_sim_board_control (hands->board, command, &error);

  /* Only commands the board knows are sent */
  if (answer == NULL)
    {
      g_warning ("The virtual board refused “%s”: %s", command, error->message);
      return;
    }
  g_printerr (_("virtual board: %s\n"), said);
}

static void
hold (CliVirtualHands *hands,
      gboolean         held)
{
  g_autofree char *said = NULL;

  if (hands->hold_button == NULL || hands->held == held)
    return;
  hands->held = held;
  /* TRANSLATORS: %s is a button of the board, such as “Power button” */
  said = g_strdup_printf (held ? _("%s held") : _("%s let go"), hands->hold_button);
  act (hands, held ? "hold on" : "hold off", said);
}

static void
on_prompt (FsJob           *job,
           FsJobPromptKind  kind,
           const char      *title,
           GStrv            steps,
           CliVirtualHands *hands)
{
  if (kind == FS_JOB_PROMPT_DOWNLOAD_MODE)
    {
      act (hands, "jumper on", _("jumper IO0–GND on"));
      act (hands, "reset", _("Reset"));
      hold (hands, TRUE);
    }
  /* Letting go of the hold button restarts the board as Reset does */
  else if (hands->held)
    hold (hands, FALSE);
  else
    act (hands, "reset", _("Reset"));
}

static void
on_prompt_done (FsJob           *job,
                FsJobPromptKind  kind,
                CliVirtualHands *hands)
{
  if (kind == FS_JOB_PROMPT_DOWNLOAD_MODE)
    act (hands, "jumper off", _("jumper IO0–GND off"));
}

CliVirtualHands *
cli_virtual_hands_new (FsJob *job)
{
  FsTransport *transport = fs_job_get_transport (job);
  FsBoardProfile *profile = fs_job_get_profile (job);
  CliVirtualHands *hands;

  if (!FS_IS_TRANSPORT_SIM (transport))
    return NULL;
  hands = g_new0 (CliVirtualHands, 1);
  hands->job = g_object_ref (job);
  hands->board = g_object_ref (fs_transport_sim_get_board (FS_TRANSPORT_SIM (transport)));
  if (profile != NULL)
    hands->hold_button = g_strdup (fs_board_profile_get_hold_button (profile));
  g_signal_connect (job, "prompt", G_CALLBACK (on_prompt), hands);
  g_signal_connect (job, "prompt-done", G_CALLBACK (on_prompt_done), hands);
  return hands;
}

void
cli_virtual_hands_free (CliVirtualHands *hands)
{
  hold (hands, FALSE);
  g_signal_handlers_disconnect_by_data (hands->job, hands);
  g_object_unref (hands->job);
  g_object_unref (hands->board);
  g_free (hands->hold_button);
  g_free (hands);
}
