/* fs-transport-factory.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include <errno.h>
#include <libserialport.h>
#include <string.h>

#include "fs-error.h"
#include "fs-sim-profile.h"
#include "fs-transport-factory.h"
#include "fs-transport-rfc2217.h"
#include "fs-transport-serial.h"
#include "fs-transport-sim.h"
#include "fs-transport-tcp.h"
#include "fs-transport-termios.h"

#define SOCKET_SCHEME  "socket://"
#define RFC2217_SCHEME "rfc2217://"
#define SIM_SCHEME     "sim:"

/* "HOST:PORT" or "[IPV6]:PORT" after the scheme */
static gboolean
parse_host_port (const char  *address,
                 const char  *scheme,
                 char       **host_out,
                 guint16     *port_out,
                 GError     **error)
{
  const char *rest = address + strlen (scheme);
  const char *colon = strrchr (rest, ':');
  g_autofree char *host = NULL;
  guint64 port;

  if (colon != NULL)
    host = g_strndup (rest, colon - rest);
  if (host != NULL && host[0] == '[' && g_str_has_suffix (host, "]"))
    {
      char *bare = g_strndup (host + 1, strlen (host) - 2);
      g_free (host);
      host = bare;
    }
  if (host == NULL || *host == '\0' ||
      !g_ascii_string_to_unsigned (colon + 1, 10, 1, G_MAXUINT16, &port, NULL))
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a network port: write it as %sHOST:PORT, with a port from 1 to 65535"),
                   address, scheme);
      return FALSE;
    }
  *host_out = g_steal_pointer (&host);
  *port_out = port;
  return TRUE;
}

char *
fs_transport_sim_flash_path (const char *board_id)
{
  g_autofree char *file_name = g_strconcat (board_id, ".bin", NULL);

  return g_build_filename (g_get_user_data_dir (), "flash-studio", "virtual", file_name, NULL);
}

static FsTransport *
new_for_sim (const char  *port,
             GError     **error)
{
  const char *board_id = port + strlen (SIM_SCHEME);
  g_autofree char *flash_path = fs_transport_sim_flash_path (board_id);
  g_autofree char *dir = g_path_get_dirname (flash_path);
  g_auto(FsSimBoardOptions) options = { 0 };
  g_autoptr(FsSimBoard) board = NULL;

  /* The id names a file: it must not climb out of the folder */
  if (*board_id == '\0' || strchr (board_id, G_DIR_SEPARATOR) != NULL || board_id[0] == '.')
    {
      g_set_error (error, FS_ERROR, FS_ERROR_INVALID_ARGUMENT,
                   _("“%s” is not a virtual board: write it as sim:BOARD-ID, such as sim:heltec-wifi-kit-32"), port);
      return NULL;
    }
  fs_sim_board_options_init_default (&options, flash_path);
  if (!fs_sim_board_options_apply_profile (&options, board_id, error))
    return NULL;
  /* For tests and demonstrations that have no time to wait for a real
   * board's link and flash */
  options.instant = g_strcmp0 (g_getenv ("FLASH_STUDIO_SIM_TIMING"), "instant") == 0;
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved_errno = errno;
      g_set_error (error, FS_ERROR, FS_ERROR_FAILED, _("cannot make the folder %s: %s"), dir, g_strerror (saved_errno));
      return NULL;
    }
  board = fs_sim_board_new (&options, error);
  if (board == NULL)
    return NULL;
  return fs_transport_sim_new (board, port);
}

static gboolean
serial_port_exists (const char *path)
{
  struct sp_port *port = NULL;

  if (sp_get_port_by_name (path, &port) != SP_OK)
    return FALSE;
  sp_free_port (port);
  return TRUE;
}

FsTransport *
fs_transport_new_for_port (const char  *port,
                           GError     **error)
{
  g_autofree char *host = NULL;
  guint16 number;

  g_return_val_if_fail (port != NULL, NULL);

  if (g_str_has_prefix (port, SOCKET_SCHEME))
    {
      if (!parse_host_port (port, SOCKET_SCHEME, &host, &number, error))
        return NULL;
      return fs_transport_tcp_new (host, number, port);
    }
  if (g_str_has_prefix (port, RFC2217_SCHEME))
    {
      if (!parse_host_port (port, RFC2217_SCHEME, &host, &number, error))
        return NULL;
      return fs_transport_rfc2217_new (host, number, port);
    }
  if (g_str_has_prefix (port, SIM_SCHEME))
    return new_for_sim (port, error);
  if (serial_port_exists (port))
    return fs_transport_serial_new (port);
  /* A pty (socat, the virtual board's --pty) is no port libserialport knows */
  if (g_file_test (port, G_FILE_TEST_EXISTS))
    return fs_transport_termios_new (port);
  g_set_error (error, FS_ERROR, FS_ERROR_NOT_FOUND,
               _("no such port: %s (a port is a device such as /dev/ttyUSB0, socket://HOST:PORT, "
                 "rfc2217://HOST:PORT or sim:BOARD-ID)"), port);
  return NULL;
}
