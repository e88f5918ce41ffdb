/* sipladder: the GTK3 front end. `sipladder [--merge] [FILE...]` */
#include "ui-app.h"

int
main(int argc, char **argv)
{
    g_autoptr(UiApp) app = ui_app_new((GApplicationFlags)0);
    return g_application_run(G_APPLICATION(app), argc, argv);
}
