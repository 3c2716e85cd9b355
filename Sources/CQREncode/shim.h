// libqrencode: QR code modules, drawn by the PDF renderer as vector squares.
#include <qrencode.h>
