/* fs-test-session.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "fs-test-session.h"
#include "fs-transport-sim.h"

void
fs_test_session_done (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
fs_test_session_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

FsBoardSession *
fs_test_session_new (FsDeviceRegistry *registry,
                     const char       *board_id)
{
  g_autoptr(FsBoardProfile) profile = fs_board_profile_new_builtin (board_id, NULL);
  g_autoptr(FsPortInfo) port = fs_port_info_new_virtual (board_id, profile);
  g_autoptr(GError) error = NULL;
  FsBoardSession *session = fs_board_session_new (port, registry, &error);

  g_assert_no_error (error);
  return session;
}

void
fs_test_session_register (FsBoardSession *session)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  fs_board_session_register_async (session, "desk", FALSE, NULL, fs_test_session_done, &result);
  g_assert_true (fs_board_session_register_finish (session, fs_test_session_wait (&result), &error));
  g_assert_no_error (error);
}

FsSimBoard *
fs_test_session_sim_board (FsBoardSession *session)
{
  FsTransport *transport = fs_board_session_get_transport (session);

  return fs_transport_sim_get_board (FS_TRANSPORT_SIM (transport));
}
