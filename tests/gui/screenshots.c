/* screenshots.c: pictures of every step of the flow, light and dark, at
 * the default size and at 800×600, into the folder given
 *
 *   screenshots DIR [GROUP]
 *
 * GROUP ("selector", "flow", "problems", "prompt", "monitor",
 * "preferences", "flash-map", "map-table") takes only those pictures.
 *
 * Each picture is the window (or dialog) as GTK renders it; the program
 * checks that each was written at the size of what it shows.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <glib/gstdio.h>

#include "fs-board-info-window.h"
#include "fs-create-vm-dialog.h"
#include "fs-flash-view.h"
#include "fs-flash.h"
#include "fs-flash-map.h"
#include "fs-preferences-window.h"
#include "fs-region-table.h"
#include "fs-prompt-dialog.h"
#include "fs-test-gui.h"
#include "fs-test-image.h"
#include "fs-merged.h"
#include "fs-partition-table.h"
#include "fs-transport-sim.h"
#include "fs-virtual-board-view.h"

static const char *out_dir;
static const char *variant;   /* "light-1000x700"… */

static void
save (GtkWidget  *widget,
      const char *step)
{
  g_autofree char *name = g_strdup_printf ("%s-%s.png", step, variant);
  g_autofree char *path = g_build_filename (out_dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = NULL;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GdkTexture) reread = NULL;
  g_autoptr(GError) error = NULL;
  int width, height;

  /* Let layout and animations settle; a window busy with a job (slower
   * with the sanitizers) may have nothing drawn yet: wait for it */
  for (guint tries = 0; node == NULL && tries < 20; tries++)
    {
      fs_test_gui_run_for (400);
      width = gtk_widget_get_width (widget);
      height = gtk_widget_get_height (widget);
      g_clear_object (&paintable);
      paintable = gtk_widget_paintable_new (widget);
      snapshot = gtk_snapshot_new ();
      gdk_paintable_snapshot (paintable, snapshot, width, height);
      node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (widget)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  g_assert_true (gdk_texture_save_to_png (texture, path));
  reread = gdk_texture_new_from_filename (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (gdk_texture_get_width (reread), ==, width);
  g_assert_cmpint (gdk_texture_get_height (reread), ==, height);
  g_print ("%s\n", path);
}

static void
save_window_of_type (GType       type,
                     const char *step)
{
  GtkWindow *window = fs_test_gui_wait_for_window (type);

  save (GTK_WIDGET (window), step);
  gtk_window_close (window);
}

/* What the VM prints once it runs, as ESP-IDF logs it */
static const char * const vm_strings[] = {
  "FSSIM:PRINT:\033[0;32mI (312) zerynth: VM 2.6.1 ready\033[0m",
  "FSSIM:PRINT:\033[0;33mW (318) wifi: no network configured\033[0m",
  "FSSIM:PRINT:\033[0;32mI (324) zerynth: waiting for bytecode\033[0m",
  "FSSIM:REPEAT:1000:\033[0;32mI (1%u00) sensor: temperature 21.5 C, humidity 48 %\033[0m",
  NULL
};

static FsFlashView *
flash_view (FsWindow *window)
{
  return FS_FLASH_VIEW (gtk_widget_get_template_child (GTK_WIDGET (window), FS_TYPE_WINDOW, "flash_view"));
}

static void
show_view (FsWindow   *window,
           const char *view)
{
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-view", g_variant_new_string (view));
}

/* Answers the message dialog open now with @response, after its picture */
static void
answer_dialog (const char *step,
               const char *response)
{
  AdwMessageDialog *dialog = ADW_MESSAGE_DIALOG (fs_test_gui_wait_for_window (ADW_TYPE_MESSAGE_DIALOG));

  if (step != NULL)
    save (GTK_WIDGET (dialog), step);
  adw_message_dialog_response (dialog, response);
  gtk_window_close (GTK_WINDOW (dialog));
  fs_test_gui_run_for (50);
}

static FsApplication *
open_window (int        width,
             int        height,
             FsWindow **window)
{
  FsApplication *application = fs_test_gui_application_new ("heltec-wifi-kit-32");

  *window = fs_test_gui_window_new (application, width, height);
  return application;
}

/* The quick start: the demo firmware on the virtual board, as the
 * README tells a newcomer; then the board erased, restored, erased again */
static void
shoot_flow (int width,
            int height)
{
  FsWindow *window;
  FsApplication *application = open_window (width, height, &window);
  FsCreateVmDialog *create;
  g_autofree char *backup = NULL;
  GPtrArray *backups;

  save (GTK_WIDGET (window), "1-unregistered");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  save_window_of_type (ADW_TYPE_MESSAGE_DIALOG, "2-register-dialog");
  fs_test_gui_register (window, "Desk board", TRUE);
  fs_test_gui_wait_idle (window);
  save (GTK_WIDGET (window), "3-registered");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  create = FS_CREATE_VM_DIALOG (fs_test_gui_wait_for_window (FS_TYPE_CREATE_VM_DIALOG));
  fs_create_vm_dialog_use_demo (create);
  save (GTK_WIDGET (create), "4-create-vm-dialog");
  gtk_widget_activate_action (GTK_WIDGET (create), "create-vm.create", NULL);
  fs_test_gui_run_for (50);
  save (GTK_WIDGET (window), "5-vm-created");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  save (GTK_WIDGET (window), "6-virtualizing");
  fs_test_gui_wait_idle (window);
  save (GTK_WIDGET (window), "6-virtualized");
  show_view (window, "monitor");
  save (GTK_WIDGET (window), "6-virtualized-monitor");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  answer_dialog ("7-upload-dialog", "program-1");
  fs_test_gui_wait_idle (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  answer_dialog (NULL, "program-2");
  fs_test_gui_wait_idle (window);
  fs_test_gui_run_for (1500);
  save (GTK_WIDGET (window), "7-uploaded-monitor");
  show_view (window, "map");
  fs_flash_view_set_source (flash_view (window), "board");
  save (GTK_WIDGET (window), "7-on-the-board");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.board-info", NULL);
  save_window_of_type (FS_TYPE_BOARD_INFO_WINDOW, "8-board-info");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.erase", NULL);
  answer_dialog (NULL, "erase");
  fs_test_gui_wait_idle (window);
  fs_test_gui_run_for (300);
  save (GTK_WIDGET (window), "14-erased");

  backups = fs_device_record_get_backups (fs_board_session_get_record (fs_window_get_session (window)));
  backup = g_strdup (((FsDeviceBackup *) g_ptr_array_index (backups, 0))->path);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.restore-backup", g_variant_new_string (backup));
  fs_test_gui_wait_idle (window);
  fs_test_gui_run_for (300);
  save (GTK_WIDGET (window), "15-restored-original");

  fs_test_gui_close (application, window);
}

/* A package with the bootloader and the VM given, as a merged image */
static char *
write_package (GBytes     *bootloader,
               GBytes     *vm,
               const char *name)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) fs_flash_part_free);
  g_autoptr(FsLayout) layout = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsPartitionTable) table = fs_layout_to_partition_table (layout);
  g_autoptr(GBytes) table_bytes = fs_partition_table_to_binary (table, TRUE, NULL);
  g_autoptr(GBytes) merged = NULL;
  g_autoptr(GError) error = NULL;
  char *path = fs_test_gui_input_path (name);

  if (bootloader != NULL)
    g_ptr_array_add (parts, fs_flash_part_new (0x1000, bootloader, "bootloader"));
  g_ptr_array_add (parts, fs_flash_part_new (0x8000, table_bytes, "partition-table"));
  g_ptr_array_add (parts, fs_flash_part_new (0x10000, vm, "app"));
  merged = bootloader != NULL ? fs_merged_image_build (parts, 0, &error) : g_bytes_ref (vm);
  g_assert_no_error (error);
  g_file_set_contents (path, g_bytes_get_data (merged, NULL), g_bytes_get_size (merged), &error);
  g_assert_no_error (error);
  return path;
}

/* Create VM again, from the board menu, with @package */
static void
create_vm_again (FsWindow   *window,
                 const char *package)
{
  FsCreateVmDialog *create;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.create-vm", NULL);
  create = FS_CREATE_VM_DIALOG (fs_test_gui_wait_for_window (FS_TYPE_CREATE_VM_DIALOG));
  fs_create_vm_dialog_set_layout (create, "esp32-8mb");
  fs_create_vm_dialog_set_file (create, package);
  g_assert_null (fs_create_vm_dialog_get_problem (create));
  gtk_widget_activate_action (GTK_WIDGET (create), "create-vm.create", NULL);
  fs_test_gui_run_for (50);
}

/* Virtualize refused or failing: an app without a bootloader on an
 * erased board, a bootloader built for 2 MB, a VM that crashes */
static void
shoot_problems (int width,
                int height)
{
  static const char * const crashing[] = { "FSSIM:PRINT:I (300) zerynth: VM 2.6.1 starting",
                                           "FSSIM:PANIC:LoadProhibited", NULL };
  g_autoptr(GBytes) vm = fs_test_printing_app ("zerynth-vm", vm_strings);
  g_autoptr(GBytes) crasher = fs_test_printing_app ("zerynth-vm", crashing);
  g_autoptr(GBytes) bootloader = fs_test_bootloader_image (3);
  g_autoptr(GBytes) small = fs_test_bootloader_image (1);
  g_autofree char *app_only = write_package (NULL, vm, "app-only.bin");
  g_autofree char *two_mb = write_package (small, vm, "bootloader-2mb.bin");
  g_autofree char *crashes = write_package (bootloader, crasher, "crashes.bin");
  FsWindow *window;
  FsApplication *application = open_window (width, height, &window);

  fs_test_gui_register (window, "Desk board", FALSE);
  fs_test_gui_wait_idle (window);
  fs_test_gui_create_vm (window, app_only);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  answer_dialog ("16-no-bootloader-refused", "close");

  create_vm_again (window, two_mb);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  answer_dialog ("17-flash-size-offer", "cancel");

  create_vm_again (window, crashes);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  fs_test_gui_wait_idle (window);
  answer_dialog ("18-does-not-boot", "close");
  save (GTK_WIDGET (window), "18-does-not-boot-window");

  fs_test_gui_close (application, window);
}

/* The FiPy's jumper prompt, while the engine waits for the board */
static void
shoot_prompt (int width,
              int height)
{
  FsApplication *application = fs_test_gui_application_new ("pycom-fipy");
  FsWindow *window = fs_window_new (application);
  GtkWidget *prompt;
  GtkWidget *controls;
  GtkMenuButton *controls_button;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  gtk_window_present (GTK_WINDOW (window));
  fs_test_gui_register (window, "FiPy", FALSE);
  prompt = GTK_WIDGET (fs_test_gui_wait_for_window (FS_TYPE_PROMPT_DIALOG));
  save (prompt, "9-jumper-prompt");
  save (GTK_WIDGET (window), "10-job-running");
  /* What a user does: the jumper on, then Reset, in the prompt itself */
  controls = fs_test_gui_find_child (prompt, FS_TYPE_VIRTUAL_BOARD_VIEW);
  gtk_widget_activate (fs_test_gui_find_child (fs_test_gui_find_label (controls, "_Jumper from IO0 to GND"),
                                               GTK_TYPE_SWITCH));
  fs_test_gui_run_for (400);
  g_object_add_weak_pointer (G_OBJECT (prompt), (gpointer *) &prompt);
  /* Slow answers keep the job, and so the prompt, there for its picture */
  g_free (fs_sim_board_control (fs_virtual_board_view_get_board (FS_VIRTUAL_BOARD_VIEW (controls)),
                                "fault delay 300", NULL));
  gtk_widget_activate (fs_test_gui_find_child (fs_test_gui_find_label (controls, "Reset Button"), GTK_TYPE_BUTTON));
  while (prompt != NULL && fs_test_gui_find_label (prompt, "Board detected") == NULL)
    fs_test_gui_run_for (20);
  g_assert_nonnull (prompt);
  save (prompt, "9-jumper-prompt-detected");
  g_object_remove_weak_pointer (G_OBJECT (prompt), (gpointer *) &prompt);
  fs_test_gui_wait_idle (window);
  /* The header's controls: a popover is a surface of its own */
  controls_button = GTK_MENU_BUTTON (gtk_widget_get_template_child (GTK_WIDGET (window), FS_TYPE_WINDOW,
                                                                    "virtual_board_button"));
  gtk_menu_button_popup (controls_button);
  save (GTK_WIDGET (gtk_menu_button_get_popover (controls_button)), "19-virtual-board-controls");
  gtk_menu_button_popdown (controls_button);
  fs_test_gui_run_for (300);

  fs_test_gui_close (application, window);
}


/* The board selector, open, with every virtual board */
static void
shoot_selector (int width,
                int height)
{
  FsWindow *window;
  FsApplication *application = open_window (width, height, &window);
  GtkWidget *popover = GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), FS_TYPE_WINDOW,
                                                                  "board_popover"));

  gtk_popover_popup (GTK_POPOVER (popover));
  save (popover, "0-board-selector");
  gtk_popover_popdown (GTK_POPOVER (popover));
  fs_test_gui_close (application, window);
}

/* The monitor on a board running the VM, after a press of Reset */
static void
shoot_monitor (int width,
               int height)
{
  g_autoptr(GBytes) flash = fs_test_printing_flash (vm_strings, 0);
  FsApplication *application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  FsWindow *window = fs_test_gui_window_new (application, width, height);
  FsSimBoard *board;
  g_autoptr(GError) error = NULL;

  board = fs_test_gui_sim_board (window);
  fs_sim_flash_program (fs_sim_board_get_flash (board), 0, g_bytes_get_data (flash, NULL), g_bytes_get_size (flash),
                        &error);
  g_assert_no_error (error);
  gtk_widget_activate_action_variant (GTK_WIDGET (window), "win.show-view", g_variant_new_string ("monitor"));
  fs_test_gui_run_for (300);
  gtk_widget_activate_action (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window), FS_TYPE_WINDOW,
                                                                         "monitor_view")),
                              "monitor.reset", NULL);
  fs_test_gui_run_for (4500);
  save (GTK_WIDGET (window), "13-monitor");

  fs_test_gui_close (application, window);
}

static void
shoot_preferences (int width,
                   int height)
{
  g_autoptr(GSettings) settings = g_settings_new ("io.github.flashstudio.FlashStudio");
  FsPreferencesWindow *preferences = fs_preferences_window_new (settings);

  gtk_window_present (GTK_WINDOW (preferences));
  save (GTK_WIDGET (preferences), "11-preferences");
  gtk_window_destroy (GTK_WINDOW (preferences));
}

static void
add_flash_map (GtkBox     *box,
               const char *heading,
               FsLayout   *layout,
               gint        active_slot,
               FsFlashMap **map_out)
{
  g_autoptr(GArray) regions = fs_map_regions_from_layout (layout, active_slot);
  GtkWidget *label = gtk_label_new (heading);
  FsFlashMap *map = fs_flash_map_new ();

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_widget_add_css_class (label, "heading");
  fs_flash_map_set_regions (map, regions, fs_layout_get_flash_size (layout));
  gtk_box_append (box, label);
  gtk_box_append (box, GTK_WIDGET (map));
  if (map_out != NULL)
    *map_out = map;
}

/* The two shipped layouts, the seeds' table as printed, and a write half
 * way through the VM slot */
static void
shoot_flash_map (int width,
                 int height)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "esp32-8mb-as-printed.layout", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(FsLayout) plain = fs_layout_new_builtin ("esp32-8mb", NULL);
  g_autoptr(FsLayout) ble = fs_layout_new_builtin ("esp32-8mb-ble", NULL);
  g_autoptr(FsLayout) as_printed = NULL;
  g_autoptr(GError) error = NULL;
  FsApplication *application = fs_test_gui_application_new ("heltec-wifi-kit-32");
  GtkWindow *window = GTK_WINDOW (gtk_application_window_new (GTK_APPLICATION (application)));
  GtkBox *box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 8));
  FsFlashMap *live;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  as_printed = fs_layout_new_from_data (contents, len, "esp32-8mb-as-printed.layout", &error);
  g_assert_no_error (error);

  gtk_widget_set_margin_start (GTK_WIDGET (box), 12);
  gtk_widget_set_margin_end (GTK_WIDGET (box), 12);
  gtk_widget_set_margin_top (GTK_WIDGET (box), 12);
  gtk_widget_set_margin_bottom (GTK_WIDGET (box), 12);
  add_flash_map (box, "esp32-8mb", plain, -1, NULL);
  add_flash_map (box, "esp32-8mb-ble, slot 0 boots", ble, 0, NULL);
  add_flash_map (box, "esp32-8mb as printed", as_printed, -1, NULL);
  add_flash_map (box, "Writing vm1", plain, 0, &live);
  /* The first half of the slot written and verified, a part found there
   * already, the next sectors erased */
  fs_flash_map_set_sectors (live, 0x110000, 0x40000, FS_REGION_VERIFIED);
  fs_flash_map_set_sectors (live, 0x150000, 0x20000, FS_REGION_SKIPPED);
  fs_flash_map_set_sectors (live, 0x170000, 0x20000, FS_REGION_WRITTEN);
  fs_flash_map_set_sectors (live, 0x190000, 0x10000, FS_REGION_ERASED);
  gtk_window_set_child (window, GTK_WIDGET (box));
  gtk_window_set_default_size (window, 1000, -1);
  gtk_window_present (window);
  gtk_widget_grab_focus (GTK_WIDGET (live));
  gtk_widget_activate_action (GTK_WIDGET (live), "flash-map.last", NULL);
  save (GTK_WIDGET (window), "12-flash-map");

  gtk_window_destroy (window);
  fs_test_gui_application_free (application);
}

static FsRegionTable *
region_table (FsWindow *window)
{
  return FS_REGION_TABLE (gtk_widget_get_template_child (GTK_WIDGET (flash_view (window)), FS_TYPE_FLASH_VIEW,
                                                         "region_table"));
}

/* The flash view's page scrolled to its end: the last rows of the table */
static void
save_scrolled_down (FsWindow   *window,
                    const char *step)
{
  GtkScrolledWindow *scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_template_child (GTK_WIDGET (flash_view (window)),
                                                                                   FS_TYPE_FLASH_VIEW, "scroller"));
  GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (scroller);

  fs_test_gui_run_for (300);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
  save (GTK_WIDGET (window), step);
  gtk_adjustment_set_value (adjustment, 0);
}

/* Register without a backup, then Create VM with the demo firmware */
static void
register_with_demo_vm (FsWindow *window)
{
  FsCreateVmDialog *create;

  fs_test_gui_register (window, "Desk board", FALSE);
  fs_test_gui_wait_idle (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  create = FS_CREATE_VM_DIALOG (fs_test_gui_wait_for_window (FS_TYPE_CREATE_VM_DIALOG));
  fs_create_vm_dialog_use_demo (create);
  gtk_widget_activate_action (GTK_WIDGET (create), "create-vm.create", NULL);
  fs_test_gui_run_for (50);
}

/* The flash map with its table: the VM's layout after Create VM, "On the
 * board" before a read, after reading an empty board, after Virtualize */
static void
shoot_map_table (int width,
                 int height)
{
  FsWindow *window;
  FsApplication *application = open_window (width, height, &window);

  register_with_demo_vm (window);
  show_view (window, "map");
  fs_region_table_set_selected_region (region_table (window), 6);
  save (GTK_WIDGET (window), "20-map-table");
  save_scrolled_down (window, "20-map-table-end");

  fs_flash_view_set_source (flash_view (window), "board");
  save (GTK_WIDGET (window), "21-on-the-board-unread");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.read-slots", NULL);
  fs_test_gui_wait_idle (window);
  save (GTK_WIDGET (window), "22-on-the-board-empty");

  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  fs_test_gui_wait_idle (window);
  fs_test_gui_run_for (1500);
  fs_flash_view_set_source (flash_view (window), "board");
  fs_flash_map_set_focus_region (fs_flash_view_get_map (flash_view (window)), 1);
  save (GTK_WIDGET (window), "23-on-the-board-table");
  save_scrolled_down (window, "23-on-the-board-table-end");

  fs_test_gui_close (application, window);
}

static void
press_toast_details (FsWindow *window)
{
  GtkWidget *label = fs_test_gui_find_label (GTK_WIDGET (gtk_widget_get_template_child (GTK_WIDGET (window),
                                                                                      FS_TYPE_WINDOW,
                                                                                      "toast_overlay")),
                                             "Details");

  g_assert_nonnull (label);
  gtk_widget_activate (gtk_widget_get_ancestor (label, GTK_TYPE_BUTTON));
}

/* What a toast too long for its line holds, and a failure, whole */
static void
shoot_messages (int width,
                int height)
{
  FsWindow *window;
  FsApplication *application = open_window (width, height, &window);
  FsSimFaults faults = { .unplug_after = 60 * 1024 };

  register_with_demo_vm (window);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.primary", NULL);
  fs_test_gui_wait_idle (window);
  save (GTK_WIDGET (window), "24-write-toast");
  press_toast_details (window);
  answer_dialog ("24-write-details", "close");

  /* Virtualize again over an erased board, unplugged half way */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.erase", NULL);
  answer_dialog (NULL, "erase");
  fs_test_gui_wait_idle (window);
  fs_sim_board_set_faults (fs_test_gui_sim_board (window), &faults);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.virtualize", NULL);
  fs_test_gui_wait_idle (window);
  answer_dialog ("25-failure-details", "close");

  fs_test_gui_close (application, window);
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *style; AdwColorScheme scheme; int width, height; } variants[] = {
    { "light", ADW_COLOR_SCHEME_FORCE_LIGHT, 1000, 700 },
    { "dark", ADW_COLOR_SCHEME_FORCE_DARK, 1000, 700 },
    { "light", ADW_COLOR_SCHEME_FORCE_LIGHT, 800, 600 },
    { "dark", ADW_COLOR_SCHEME_FORCE_DARK, 800, 600 },
  };
  static const struct { const char *name; void (*shoot) (int width, int height); } groups[] = {
    { "selector", shoot_selector },
    { "flow", shoot_flow },
    { "problems", shoot_problems },
    { "prompt", shoot_prompt },
    { "monitor", shoot_monitor },
    { "preferences", shoot_preferences },
    { "flash-map", shoot_flash_map },
    { "map-table", shoot_map_table },
    { "messages", shoot_messages },
  };
  const char *group;

  if (!fs_test_gui_init (&argc, &argv))
    return 77;
  if (argc != 2 && argc != 3)
    {
      g_printerr ("Usage: %s DIR [GROUP]\n", argv[0]);
      return 2;
    }
  out_dir = argv[1];
  group = argc == 3 ? argv[2] : NULL;
  g_assert_cmpint (g_mkdir_with_parents (out_dir, 0755), ==, 0);
  for (guint i = 0; i < G_N_ELEMENTS (variants); i++)
    {
      g_autofree char *name = g_strdup_printf ("%s-%dx%d", variants[i].style, variants[i].width,
                                               variants[i].height);

      variant = name;
      adw_style_manager_set_color_scheme (adw_style_manager_get_default (), variants[i].scheme);
      for (guint j = 0; j < G_N_ELEMENTS (groups); j++)
        if (group == NULL || g_str_equal (group, groups[j].name))
          groups[j].shoot (variants[i].width, variants[i].height);
    }
  return 0;
}
