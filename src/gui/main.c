/* main.c: flash-studio, the window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gi18n.h>

#include "fs-application.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(FsApplication) application = NULL;
  /* Set by tests and `meson devenv`: the catalogs of an uninstalled build */
  const char *localedir = g_getenv ("FLASH_STUDIO_LOCALEDIR");

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir != NULL ? localedir : LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_application_name (_("Flash Studio"));

  application = fs_application_new ();
  return g_application_run (G_APPLICATION (application), argc, argv);
}
