namespace PortDoctor.Protocol;
