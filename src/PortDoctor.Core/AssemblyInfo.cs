namespace PortDoctor.Core;
