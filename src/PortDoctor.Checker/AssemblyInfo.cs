namespace PortDoctor.Checker;
